import { MessageFlags } from 'discord.js';
import type { Intent } from '../../../conversation/index.js';
import type { ComponentInteraction } from '../context.js';

/** True when the clicked message is private (ephemeral): what it starts stays private too. */
export function clickedPrivately(interaction: ComponentInteraction): boolean {
  return ((interaction.payload.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/**
 * A button that starts a new generation from a result (Reroll, Vary, Upscale): "thinking…" as a
 * new message, private when the result was (the message tells us without a store read), keyed by
 * this click's interaction id.
 */
export async function generateFromClick(
  interaction: ComponentInteraction,
  intent: Intent,
): Promise<void> {
  const ephemeral = clickedPrivately(interaction);
  await interaction.replies.deferReply(ephemeral);
  await interaction.handle(intent, { private: ephemeral });
}
