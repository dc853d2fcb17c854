import { DOCUMENTED_FLAGS, parseGenerationText } from '../../../core/option-text.js';
import { startGeneration } from '../start-generation.js';
import type { Subcommand } from './subcommand.js';

/** `/imagine a red fox --ar 16:9 --res 2K`: the default when the text names no other subcommand. */
export const generate: Subcommand = {
  name: 'generate',
  usage: `/imagine <prompt> [${DOCUMENTED_FLAGS.join(' … ')}]`,
  summary:
    'Make an image, e.g. `/imagine a red fox in snow --ar 16:9 --res 2K --quality high --format png --private`.',
  async run(context, input) {
    const { prompt, options } = parseGenerationText(input.args);
    await startGeneration(context, {
      requestId: input.triggerId,
      teamId: input.teamId,
      userId: input.userId,
      userName: input.userName,
      channelId: input.channelId,
      responseUrl: input.responseUrl,
      prompt,
      options,
    });
  },
};
