import { ApplicationCommandType, PermissionFlagsBits } from 'discord.js';
import { isUserError } from '../../../core/errors.js';
import type { SlashCommand } from '../context.js';
import { ADMIN_SUBCOMMANDS } from './admin/definition.js';
import { adminIntent } from './admin/intent.js';
import { described, SERVER_ONLY } from './localized.js';

/**
 * Discord hides the command from others (default_member_permissions); the conversation's check,
 * on the permissions this interaction carries, is the one that counts.
 */
export default {
  data: {
    name: 'imagine-admin',
    ...described('discord.command.imagine-admin'),
    type: ApplicationCommandType.ChatInput,
    ...SERVER_ONLY,
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: ADMIN_SUBCOMMANDS,
  },

  async execute(interaction) {
    await interaction.replies.deferReply(true);
    const [subcommand] = interaction.payload.data.options ?? [];
    const options = subcommand && 'options' in subcommand ? subcommand.options : undefined;
    let intent;
    try {
      intent = adminIntent(subcommand?.name, options);
    } catch (error) {
      if (!isUserError(error)) throw error;
      // A member who may not administer is told that first, whatever they left out.
      if (!(await interaction.actor.mayAdminister()))
        return interaction.handle({ kind: 'settings' });
      return interaction.refuse({ kind: 'settings' }, error);
    }
    if (intent) return interaction.handle(intent);
    return interaction.fail(
      new Error(
        `/imagine-admin ${subcommand?.name ?? ''} is not this version's; redeploy the commands`,
      ),
    );
  },
} satisfies SlashCommand;
