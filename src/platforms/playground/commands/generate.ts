import { DOCUMENTED_FLAGS, parseGenerationText } from '../../../core/option-text.js';
import { startGeneration } from '../start-generation.js';
import type { Command } from './command.js';

/** `/imagine a red fox --ar 16:9 --res 2K`: the same text form and parser as Slack and the CLI. */
export const generate: Command = {
  name: 'generate',
  usage: `/imagine <prompt> [${DOCUMENTED_FLAGS.join(' … ')}]`,
  summary: 'Make an image, e.g. `/imagine a red fox in snow --ar 16:9 --res 2K --quality high`.',
  async run(context, input) {
    const { prompt, options } = parseGenerationText(input.args);
    await startGeneration(context, {
      requestId: input.requestId,
      user: input.user,
      channelId: input.channelId,
      prompt,
      options,
    });
  },
};
