import { ChannelType, ComponentType, MessageFlags } from 'discord.js';
import { UserError } from '../../../core/errors.js';
import type { ComponentHandler } from '../context.js';
import { customId } from '../custom-id.js';
import { NO_PINGS } from '../render.js';

/** Share, step one: ask (privately) which channel the image should go to. */
export default {
  action: 'share',
  async execute(interaction, requestId, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const job = await context.service.jobs.get(requestId);
    if (!job) throw new UserError('generation_not_found');
    if (job.outcome?.kind !== 'success') throw new UserError('discord_nothing_to_share');
    await interaction.editReply({
      content: 'Pick the channel to share this image in:',
      allowedMentions: NO_PINGS,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.ChannelSelect,
              custom_id: customId('share-to', requestId),
              placeholder: 'Choose a channel',
              channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
              min_values: 1,
              max_values: 1,
            },
          ],
        },
      ],
    });
  },
} satisfies ComponentHandler;
