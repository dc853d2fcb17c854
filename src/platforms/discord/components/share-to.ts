import { PermissionFlagsBits, PermissionsBitField, Routes } from 'discord.js';
import { UserError } from '../../../core/errors.js';
import { DeliveryError } from '../../../core/types.js';
import { isTargetGone } from '../api-errors.js';
import type { ComponentHandler } from '../context.js';
import { NO_PINGS, renderShared } from '../render.js';
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, userIdOf } from '../target.js';
import { prepareImage } from '../upload.js';

const POST_RIGHTS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];

/**
 * The clicker's own permissions in the chosen channel, as Discord resolved them for this
 * interaction (discord.js gives a channel object, or the raw API channel when it is not cached).
 */
function clickerPermissions(channel: unknown): PermissionsBitField | undefined {
  const permissions = (channel as { permissions?: unknown } | undefined)?.permissions;
  if (permissions instanceof PermissionsBitField) return permissions;
  if (typeof permissions === 'string') return new PermissionsBitField(BigInt(permissions));
  return undefined;
}

/** Share, step two: post the image in the picked channel, only where the clicker may post. */
export default {
  action: 'share-to',
  async execute(interaction, requestId, context) {
    if (!interaction.isChannelSelectMenu()) return;
    await interaction.deferUpdate();
    const channelId = interaction.values[0];
    if (!channelId) return;
    const mention = `<#${channelId}>`;
    if (!clickerPermissions(interaction.channels.get(channelId))?.has(POST_RIGHTS)) {
      throw new UserError('discord_share_not_allowed', { channel: mention });
    }
    const job = await context.service.jobs.get(requestId);
    if (!job) throw new UserError('generation_not_found');
    const url = job.outcome?.kind === 'success' ? job.outcome.imageUrls[0] : undefined;
    if (!url) throw new UserError('discord_nothing_to_share');
    const sizeLimit = interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT;
    const { placement, files } = await prepareImage(
      url,
      sizeLimit,
      context.logger,
      context.service.fetcher,
    ).catch((error: unknown) => {
      // Fetched when it was shown, but not now (expired, or refused): nothing else is posted.
      if (error instanceof DeliveryError) throw new UserError('share_image_unavailable');
      throw error;
    });
    try {
      await interaction.client.rest.post(Routes.channelMessages(channelId), {
        body: renderShared(job, userIdOf(job.user.key), interaction.user.id, placement),
        files,
      });
    } catch (error) {
      if (isTargetGone(error))
        throw new UserError('discord_share_cannot_post', { channel: mention });
      throw error;
    }
    context.logger.info({ requestId, channelId, sharer: interaction.user.id }, 'image shared');
    await interaction.editReply({
      content: `Shared in ${mention}.`,
      components: [],
      allowedMentions: NO_PINGS,
    });
  },
} satisfies ComponentHandler;
