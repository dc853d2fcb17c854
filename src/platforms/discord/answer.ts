import { MessageFlags, Routes, type RawFile } from 'discord.js';
import {
  refusal,
  type Answer,
  type NoticeView,
  type PendingGeneration,
} from '../../conversation/index.js';
import type { JobRecord } from '../../core/types.js';
import { translate, type Locale } from '../../i18n/index.js';
import { isTargetGone, loggableError } from './api-errors.js';
import { channelIdOf, type DiscordInteraction } from './interaction.js';
import { userOf } from './payload.js';
import { editFormModal, sourcePicker } from './edit-form.js';
import { viewFiles } from './admin-views.js';
import { renderShared } from './render.js';
import type { DiscordTarget } from './target.js';
import { isDiscordTarget, userIdOf } from './target.js';
import { prepareImage, readableSize } from './upload.js';
import { renderView } from './views.js';

/** Where a new generation's messages go: the deferred reply, then the channel or the requester's DMs. */
function targetOf(interaction: DiscordInteraction, ephemeral: boolean): DiscordTarget {
  const { payload } = interaction;
  const acknowledgement = interaction.replies.acknowledgement;
  return {
    platform: 'discord',
    applicationId: payload.application_id,
    interactionToken: payload.token,
    channelId: channelIdOf(payload),
    messageId: acknowledgement.kind === 'deferred-reply' ? acknowledgement.messageId : null,
    guildId: payload.guild_id ?? null,
    userId: userOf(payload).id,
    ephemeral,
    botMayPost: interaction.botMayPostHere,
    tokenExpiresAt: interaction.tokenExpiresAt,
    attachmentSizeLimit: interaction.attachmentSizeLimit,
  };
}

/** How the conversation's answers look on Discord, for one interaction. */
export function discordAnswer(interaction: DiscordInteraction): Answer {
  const { replies, services } = interaction;
  return {
    openEditForm: (form) => replies.openModal(editFormModal(form, interaction.locale)),
    pickSource: (draft, images) =>
      replies.tellPrivately(sourcePicker(draft, images, interaction.locale)),
    // The share confirmation takes the place of the picker it answers; the rest is said anew.
    privately: (view) => {
      const files = viewFiles(view);
      const limit = interaction.attachmentSizeLimit;
      const over = files.find((file) => Buffer.byteLength(file.data as Buffer) > limit);
      if (over)
        return replies.tellPrivately(renderView(tooLargeToAttach(over, limit, interaction.locale)));
      return replies.tellPrivately(renderView(view, interaction.locale), {
        inPlace: view.kind === 'shared',
        files,
      });
    },

    async placeStatus(generation: PendingGeneration) {
      // Commands defer first thing; this is for one that did not.
      if (replies.acknowledgement.kind === 'none')
        await replies.deferReply(generation.options.private);
      // Discord may have made the answer private anyway (external apps kept private in a server).
      const acknowledgement = replies.acknowledgement;
      const ephemeral =
        generation.options.private ||
        (acknowledgement.kind === 'deferred-reply' && acknowledgement.ephemeral);
      return {
        target: targetOf(interaction, ephemeral),
        // A refusal is told privately, which replaces a public deferral; a duplicate shows nothing.
        withdraw: () => Promise.resolve(),
      };
    },

    async postShared(job: JobRecord, to: string) {
      const url = job.outcome?.kind === 'success' ? job.outcome.imageUrls[0] : undefined;
      if (!url) throw refusal('nothing_to_share');
      const { placement, files } = await prepareImage(
        url,
        interaction.attachmentSizeLimit,
        services.logger,
        services.fetcher,
      );
      const sharer = userOf(interaction.payload).id;
      try {
        await services.rest.post(Routes.channelMessages(to), {
          body: renderShared(
            job,
            userIdOf(job.user.key),
            sharer,
            placement,
            interaction.placeLocale,
          ),
          files,
        });
      } catch (error) {
        if (isTargetGone(error)) throw refusal('share_cannot_post', { channelId: to });
        throw error;
      }
    },

    async removeActedOn(job) {
      // After a deferred update (Delete), `@original` is the message acted on.
      if (replies.acknowledgement.kind === 'deferred-update') return replies.deleteOriginal();
      // Try again opened a reply of its own; the failure it replaces is the earlier interaction's.
      await removeEarlierAnswer(interaction, job).catch((error: unknown) =>
        services.logger.info(
          { requestId: job?.requestId, err: loggableError(error) },
          'the replaced failure message was left in place',
        ),
      );
    },
  };
}

/** A report file over this server's upload limit: said, instead of failing to send it. */
function tooLargeToAttach(file: RawFile, limit: number, locale: Locale): NoticeView {
  return {
    kind: 'notice',
    tone: 'error',
    text: translate(locale, 'discord.tooLargeToAttach', {
      name: file.name,
      size: readableSize(Buffer.byteLength(file.data as Buffer)),
      limit: readableSize(limit),
    }),
  };
}

/**
 * Removes the clicked message when it is the earlier job's own answer, through that job's
 * interaction token while it lasts (which works for private answers too), else as the bot.
 */
async function removeEarlierAnswer(
  interaction: DiscordInteraction,
  job: JobRecord | undefined,
): Promise<void> {
  const message = 'message' in interaction.payload ? interaction.payload.message : undefined;
  if (!message || !job) return;
  const target = job.target;
  const { rest } = interaction.services;
  if (isDiscordTarget(target) && target.tokenExpiresAt > Date.now()) {
    await rest.delete(
      Routes.webhookMessage(target.applicationId, target.interactionToken, message.id),
      { auth: false },
    );
    return;
  }
  if (((message.flags ?? 0) & MessageFlags.Ephemeral) === 0)
    await rest.delete(Routes.channelMessage(message.channel_id, message.id));
}
