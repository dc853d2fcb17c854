import { ApplicationCommandType, InteractionContextType } from 'discord.js';
import type { Intent } from '../../../conversation/index.js';
import type { SlashCommand } from '../context.js';

/** A command with no options whose answer only the asker sees (/quota, /history). */
export function privateQuestion(
  name: string,
  description: string,
  kind: Extract<Intent['kind'], 'quota' | 'history' | 'help'>,
): SlashCommand {
  return {
    data: {
      name,
      description,
      type: ApplicationCommandType.ChatInput,
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    },
    async execute(interaction) {
      await interaction.replies.deferReply(true);
      await interaction.handle({ kind });
    },
  };
}
