import { PermissionFlagsBits } from 'discord.js';
import { UserError } from '../../../core/errors.js';
import type { ComponentHandler } from '../context.js';
import { userKey } from '../target.js';

/** Delete: for the person who asked for the image, or anyone who may manage messages here. */
export default {
  action: 'delete',
  async execute(interaction, requestId, context) {
    await interaction.deferUpdate();
    const job = await context.service.jobs.get(requestId);
    const isRequester = job?.user.key === userKey(interaction.user.id);
    const isModerator =
      interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
    if (!isRequester && !isModerator) throw new UserError('discord_not_allowed_to_delete');
    // After deferUpdate, `@original` is the message the button is on; the interaction token can
    // delete it even where the bot itself could not.
    await interaction.deleteReply();
    context.logger.info(
      { requestId, by: interaction.user.id, moderator: !isRequester },
      'result deleted',
    );
  },
} satisfies ComponentHandler;
