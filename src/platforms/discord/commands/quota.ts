import { ApplicationCommandType, InteractionContextType } from 'discord.js';
import type { SlashCommand } from '../context.js';

export default {
  data: {
    name: 'quota',
    description: 'Your image credits left today, when they reset, and what is generating now',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },

  async execute(interaction) {
    await interaction.replies.deferReply(true);
    await interaction.handle({ kind: 'quota' });
  },
} satisfies SlashCommand;
