import { ApplicationCommandType, InteractionContextType } from 'discord.js';
import { HISTORY_SIZE } from '../../../conversation/index.js';
import type { SlashCommand } from '../context.js';

export default {
  data: {
    name: 'history',
    description: `Your last ${HISTORY_SIZE} generations, with links to the images`,
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },

  async execute(interaction) {
    await interaction.replies.deferReply(true);
    await interaction.handle({ kind: 'history' });
  },
} satisfies SlashCommand;
