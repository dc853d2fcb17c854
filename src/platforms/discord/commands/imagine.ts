import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { ASPECT_RATIOS, OUTPUT_FORMATS, QUALITIES, RESOLUTIONS } from '../../../core/options.js';
import type { MessageKey } from '../../../i18n/index.js';
import type { SlashCommand } from '../context.js';
import { optionValue, stringOption } from '../payload.js';
import { attachedSources, SOURCE_OPTION_NAMES } from '../sources.js';
import { EVERYWHERE, described, labelledChoice } from './localized.js';

/** Discord caps string options at 6,000 characters, below the API's 20,000. */
const PROMPT_MAX_LENGTH = 6_000;

/** The core's values for an option, as choices each labelled by `discord.command.imagine.<option>.<value>`. */
function choices(option: ImagineOption, values: readonly string[]) {
  return values.map((value) =>
    labelledChoice(value, `discord.command.imagine.${option}.${value}` as MessageKey),
  );
}

type ImagineOption = 'aspect_ratio' | 'resolution' | 'quality' | 'output_format';

export default {
  data: {
    name: 'imagine',
    ...described('discord.command.imagine'),
    type: ApplicationCommandType.ChatInput,
    ...EVERYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'prompt',
        ...described('discord.command.imagine.prompt'),
        required: true,
        max_length: PROMPT_MAX_LENGTH,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'aspect_ratio',
        ...described('discord.command.imagine.aspect_ratio'),
        choices: choices('aspect_ratio', ASPECT_RATIOS),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'resolution',
        ...described('discord.command.imagine.resolution'),
        choices: choices('resolution', RESOLUTIONS),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'quality',
        ...described('discord.command.imagine.quality'),
        choices: choices('quality', QUALITIES),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'output_format',
        ...described('discord.command.imagine.output_format'),
        choices: choices('output_format', OUTPUT_FORMATS),
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        ...described('discord.command.imagine.private'),
      },
      ...SOURCE_OPTION_NAMES.map((name, index) => ({
        type: ApplicationCommandOptionType.Attachment as const,
        name,
        ...described(
          index === 0 ? 'discord.command.imagine.image' : 'discord.command.imagine.image.another',
        ),
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
