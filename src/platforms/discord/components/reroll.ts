import { MessageFlags } from 'discord.js';
import type { ComponentHandler } from '../context.js';

/**
 * Reroll and Try again (the same button on a failure): the same prompt and options as a new
 * generation, charged to whoever clicks and keyed by this click's interaction id.
 */
export default {
  action: 'reroll',
  async execute(interaction, requestId) {
    // Private results stay private: the message clicked on tells us without a store read.
    const ephemeral = ((interaction.payload.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    await interaction.replies.deferReply(ephemeral);
    await interaction.handle({ kind: 'reroll', of: requestId }, { private: ephemeral });
  },
} satisfies ComponentHandler;
