import { MessageFlags } from 'discord.js';
import { UserError } from '../../../core/errors.js';
import type { ComponentHandler } from '../context.js';
import { startGeneration } from '../generate.js';

/**
 * Reroll and Try again: the same prompt and options as a new generation, charged to whoever
 * clicks and keyed by this click's interaction id, so a redelivered click never starts two (a
 * second click is a second interaction, and a second generation).
 */
export default {
  action: 'reroll',
  async execute(interaction, requestId, context) {
    if (!interaction.isButton()) return;
    // Private results stay private: the message clicked on tells us without a store read.
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    await startGeneration(
      interaction,
      ephemeral,
      async () => {
        const job = await context.service.jobs.get(requestId);
        if (!job) throw new UserError('generation_not_found');
        return { ...job.options, prompt: job.prompt };
      },
      context,
    );
  },
} satisfies ComponentHandler;
