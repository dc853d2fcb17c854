import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import type { PersonRef } from '../../../conversation/index.js';
import type { SlashCommand } from '../context.js';
import { optionValue } from '../payload.js';
import { userKey } from '../target.js';

const MAX_DAILY_CREDITS = 100_000;

function person(userId: unknown): PersonRef | undefined {
  return typeof userId === 'string' ? { key: userKey(userId), id: userId } : undefined;
}

/**
 * Discord hides the command from others (default_member_permissions); the conversation's check,
 * on the permissions this interaction carries, is the one that counts.
 */
export default {
  data: {
    name: 'imagine-admin',
    description: 'Manage image credits (Manage Server permission)',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'credits',
        description: 'Set how many credits a member may spend per day',
        options: [
          {
            type: ApplicationCommandOptionType.User,
            name: 'user',
            description: 'The member',
            required: true,
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'daily',
            description: 'Credits per day (1K costs least; 0 blocks the member)',
            required: true,
            min_value: 0,
            max_value: MAX_DAILY_CREDITS,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'usage',
        description: "See a member's credits today, or how busy the bot is",
        options: [
          {
            type: ApplicationCommandOptionType.User,
            name: 'user',
            description: 'The member (optional)',
          },
        ],
      },
    ],
  },

  async execute(interaction) {
    await interaction.replies.deferReply(true);
    const [subcommand] = interaction.payload.data.options ?? [];
    const options = subcommand && 'options' in subcommand ? subcommand.options : undefined;
    const member = person(optionValue(options, 'user'));
    const daily = optionValue(options, 'daily');
    if (subcommand?.name === 'credits' && member && typeof daily === 'number')
      return interaction.handle({ kind: 'set-credits', person: member, daily });
    if (subcommand?.name === 'usage')
      return interaction.handle({ kind: 'usage', ...(member ? { person: member } : {}) });
    return interaction.fail(
      new Error(
        `/imagine-admin ${subcommand?.name ?? ''} is not this version's; redeploy the commands`,
      ),
    );
  },
} satisfies SlashCommand;
