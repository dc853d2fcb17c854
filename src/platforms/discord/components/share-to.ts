import { ComponentType } from 'discord.js';
import type { ComponentHandler } from '../context.js';

/** Share, step two: the channel picked in the (private) picker; the picker becomes the answer. */
export default {
  action: 'share-to',
  async execute(interaction, requestId) {
    const { data } = interaction.payload;
    if (data.component_type !== ComponentType.ChannelSelect) return;
    await interaction.replies.deferUpdate();
    const to = data.values[0];
    if (to) await interaction.handle({ kind: 'share', of: requestId, to });
  },
} satisfies ComponentHandler;
