import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { UserError } from '../../../core/errors.js';
import { describeReset } from '../../../core/quota.js';
import type { DiscordContext, SlashCommand } from '../context.js';
import { NO_PINGS } from '../render.js';
import { userKey } from '../target.js';

const MAX_DAILY_CREDITS = 100_000;

/** Discord hides the command from others (default_member_permissions); this check is the one that counts. */
function requireManageServer(interaction: ChatInputCommandInteraction): void {
  if (!interaction.inGuild()) throw new UserError('discord_server_only');
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))
    throw new UserError('discord_admin_only');
}

async function setCredits(
  interaction: ChatInputCommandInteraction,
  context: DiscordContext,
): Promise<string> {
  const user = interaction.options.getUser('user', true);
  const daily = interaction.options.getInteger('daily', true);
  await context.service.quota.setDailyCredits(userKey(user.id), daily);
  const status = await context.service.status(userKey(user.id));
  context.logger.info(
    { admin: interaction.user.id, user: user.id, daily },
    'daily credits changed',
  );
  return `<@${user.id}> now has ${daily} credit${daily === 1 ? '' : 's'} a day; ${status.remaining} left today.`;
}

async function usage(
  interaction: ChatInputCommandInteraction,
  context: DiscordContext,
): Promise<string> {
  const user = interaction.options.getUser('user');
  const now = Date.now();
  if (!user) {
    return `${context.service.activeCount} image${context.service.activeCount === 1 ? ' is' : 's are'} generating across the bot right now. Name a user to see their credits.`;
  }
  const status = await context.service.status(userKey(user.id));
  return [
    `<@${user.id}> has used ${status.used} of ${status.dailyCredits} credits today (${status.remaining} left).`,
    `Generating now: ${status.activeJobs.length}. Credits reset ${describeReset(status.resetsAt, now)}.`,
  ].join('\n');
}

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

  async execute(interaction, context) {
    requireManageServer(interaction);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const text =
      interaction.options.getSubcommand(true) === 'credits'
        ? await setCredits(interaction, context)
        : await usage(interaction, context);
    await interaction.editReply({ content: text, allowedMentions: NO_PINGS });
  },
} satisfies SlashCommand;
