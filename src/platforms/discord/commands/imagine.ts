import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type APIApplicationCommandOptionChoice,
} from 'discord.js';
import type { SlashCommand } from '../context.js';
import { optionValue, stringOption } from '../payload.js';
import { attachedSources, SOURCE_OPTION_NAMES } from '../sources.js';

/** Discord caps string options at 6,000 characters, below the API's 20,000. */
const PROMPT_MAX_LENGTH = 6_000;

const choices = (
  entries: Array<[value: string, label: string]>,
): APIApplicationCommandOptionChoice<string>[] => entries.map(([value, name]) => ({ name, value }));

export default {
  data: {
    name: 'imagine',
    description: 'Generate an image from a text description',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'prompt',
        description: 'Describe the image: subject, style, lighting, text to include…',
        required: true,
        max_length: PROMPT_MAX_LENGTH,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'aspect_ratio',
        description: 'Shape of the image (default: the model picks)',
        choices: choices([
          ['auto', 'auto: the model picks'],
          ['1:1', '1:1 square'],
          ['4:5', '4:5 portrait (social post)'],
          ['3:4', '3:4 portrait'],
          ['2:3', '2:3 portrait (poster)'],
          ['16:9', '16:9 landscape (widescreen)'],
          ['9:16', '9:16 tall (phone screen)'],
          ['21:9', '21:9 ultra-wide'],
        ]),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'resolution',
        description: 'Size of the image; bigger costs more credits (default: 1K)',
        choices: choices([
          ['1K', '1K: fastest, fewest credits'],
          ['2K', '2K: sharper, more credits'],
          ['4K', '4K: sharpest, most credits'],
        ]),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'quality',
        description: 'Detail versus speed (default: the model picks)',
        choices: choices([
          ['auto', 'auto: the model picks'],
          ['low', 'low: quickest drafts'],
          ['medium', 'medium'],
          ['high', 'high: most detail, slowest'],
        ]),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'output_format',
        description: 'File type of the image (default: the model picks, usually PNG)',
        choices: choices([
          ['png', 'PNG: lossless'],
          ['jpeg', 'JPEG: smaller files'],
          ['webp', 'WebP: small and sharp'],
        ]),
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Only you see the prompt and the image (default: false)',
      },
      ...SOURCE_OPTION_NAMES.map((name, index) => ({
        type: ApplicationCommandOptionType.Attachment as const,
        name,
        description:
          index === 0
            ? 'An image to start from (PNG, JPEG or WebP, up to 30 MB); the prompt says what to change'
            : 'Another image to start from',
      })),
    ],
  },

  async execute(interaction) {
    const options = interaction.payload.data.options;
    const input = {
      prompt: stringOption(options, 'prompt') ?? '',
      aspectRatio: stringOption(options, 'aspect_ratio'),
      resolution: stringOption(options, 'resolution'),
      quality: stringOption(options, 'quality'),
      outputFormat: stringOption(options, 'output_format'),
      private: optionValue(options, 'private') === true,
    };
    // Defer (public unless private) before any store read; input that cannot be asked for at all
    // is left to the conversation's refusal, which is then the first answer, private and at once.
    // A refusal is answered privately in one step; only a request that may go ahead shows "thinking…".
    const sources = attachedSources(interaction.payload);
    if (!interaction.services.conversation.inputProblem(input, sources))
      await interaction.replies.deferReply(input.private);
    await interaction.handle(
      { kind: 'imagine', input, ...(sources.length > 0 ? { sources } : {}) },
      { private: input.private },
    );
  },
} satisfies SlashCommand;
