import { ApplicationCommandType } from 'discord.js';
import type { Intent } from '../../../conversation/index.js';
import type { MessageKey, MessageParams } from '../../../i18n/index.js';
import type { SlashCommand } from '../context.js';
import { EVERYWHERE, described } from './localized.js';

/** A command with no options whose answer only the asker sees (/quota, /history). */
export function privateQuestion(
  name: string,
  description: { key: MessageKey; params?: MessageParams },
  kind: Extract<Intent['kind'], 'quota' | 'history' | 'help'>,
): SlashCommand {
  return {
    data: {
      name,
      ...described(description.key, description.params),
      type: ApplicationCommandType.ChatInput,
      ...EVERYWHERE,
    },
    async execute(interaction) {
      await interaction.replies.deferReply(true);
      await interaction.handle({ kind });
    },
  };
}
