import { translate } from '../../../i18n/index.js';
import type { ComponentHandler } from '../context.js';
import { renderView } from '../views.js';

/**
 * Share, step one: ask (privately) which channel the image should go to. Where the bot is not a
 * member (someone's own install, in a server without the bot or a DM between people) it cannot
 * post to any channel there, so the person is told so, and how to share anyway.
 */
export default {
  action: 'share',
  async execute(interaction, requestId) {
    if (!interaction.botMayPostHere) {
      const text = translate(interaction.locale, 'discord.share.botNotHere');
      return interaction.replies.tellPrivately(renderView({ kind: 'notice', tone: 'info', text }));
    }
    await interaction.replies.deferReply(true);
    await interaction.handle({ kind: 'share', of: requestId });
  },
} satisfies ComponentHandler;
