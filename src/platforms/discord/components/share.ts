import type { ComponentHandler } from '../context.js';

/** Share, step one: ask (privately) which channel the image should go to. */
export default {
  action: 'share',
  async execute(interaction, requestId) {
    await interaction.replies.deferReply(true);
    await interaction.handle({ kind: 'share', of: requestId });
  },
} satisfies ComponentHandler;
