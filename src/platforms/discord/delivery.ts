import { MessageFlags, Routes, type RawFile, type REST } from 'discord.js';
import type { Logger } from '../../log.js';
import { ImageDownloadError, ImageFetcher } from '../../core/images.js';
import {
  DeliveryError,
  type Delivery,
  type DeliveryProgress,
  type JobRecord,
  type JobView,
} from '../../core/types.js';
import { isTargetGone, isUploadTooLarge, toDeliveryError } from './api-errors.js';
import { failureText } from '../../core/messages.js';
import { translate } from '../../i18n/index.js';
import {
  addressedTo,
  jobLocale,
  NO_PINGS,
  renderDone,
  renderFailed,
  renderStatus,
  type MessageBody,
} from './render.js';
import { isDiscordTarget, type DiscordTarget } from './target.js';
import {
  dmChannel,
  nonceFor,
  shownBefore,
  type DiscordSteps,
  type Route,
} from './delivery-progress.js';
import { fitEcho } from './text.js';
import { linkedImage, prepareImage } from './upload.js';

export interface DiscordDeliveryOptions {
  /** A REST client that rejects on rate limits instead of waiting, so core's retry schedule stays in charge. */
  rest: REST;
  logger: Logger;
  /** Fetches results (the bot's one fetcher, with its trusted hosts); default: public hosts only. */
  fetcher?: ImageFetcher;
  now?: () => number;
}

type DoneView = Extract<JobView, { kind: 'done' }>;

interface Outgoing {
  body: MessageBody;
  files: RawFile[];
  /** What the fallback message says next to the requester's mention. */
  note: string;
}

/**
 * Shows a job on Discord. Edits the deferred reply while the interaction token lives; afterwards
 * the result still arrives: by editing the message with the bot token, or as a new message that
 * mentions the requester, or (for private requests) as a DM. A result is never silently dropped.
 */
export class DiscordDelivery implements Delivery {
  private readonly rest: REST;
  private readonly logger: Logger;
  private readonly fetcher: ImageFetcher;
  private readonly now: () => number;

  constructor(options: DiscordDeliveryOptions) {
    this.rest = options.rest;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.fetcher = options.fetcher ?? new ImageFetcher();
  }

  async show(job: JobRecord, view: JobView, progress?: DeliveryProgress): Promise<void> {
    const target = job.target;
    if (!isDiscordTarget(target))
      throw new DeliveryError('PERMANENT', `job ${job.requestId} has no Discord target`);
    if (view.kind === 'queued' || view.kind === 'generating')
      return this.showProgress(job, view, target);
    try {
      if (
        view.kind === 'failed' &&
        !job.taskId &&
        (await this.refuseRequest(target, failureText(view, jobLocale(job))))
      )
        return;
      const steps: DiscordSteps = progress?.steps ?? {};
      if (await shownBefore(this.rest, target, job.requestId, view, steps, this.now())) {
        this.logger.info(
          { requestId: job.requestId, route: steps.route },
          'the result was shown before a restart; not sending it again',
        );
        return;
      }
      const outgoing =
        view.kind === 'done'
          ? await this.resultMessage(job, view, target)
          : this.failureMessage(job, view, target);
      const record = (route: Route) =>
        progress?.record({ route, routeAt: this.now() }) ?? Promise.resolve();
      await this.sendFinal(job, target, outgoing, view, record);
    } catch (error) {
      // A result that could not be fetched is PacedDelivery's to judge, as on every platform.
      throw error instanceof ImageDownloadError ? error : toDeliveryError(error);
    }
  }

  /** Paced by PacedDelivery; a rate limit goes back as RATE_LIMITED, which holds the next one. */
  private async showProgress(job: JobRecord, view: JobView, target: DiscordTarget): Promise<void> {
    // Progress is worth showing only in place; once the token is gone only the result matters.
    if (this.now() >= target.tokenExpiresAt) return;
    try {
      await this.editOriginal(target, renderStatus(job, view, target), []);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  /**
   * The API refused the request before any task existed (bad input, the operator's key or
   * balance): like any refusal, that is told only to the requester, and the public status message
   * goes away. Returns false when the token no longer works, so the failure is shown in place.
   */
  private async refuseRequest(target: DiscordTarget, text: string): Promise<boolean> {
    if (target.ephemeral || this.now() >= target.tokenExpiresAt) return false;
    try {
      await this.rest.post(Routes.webhook(target.applicationId, target.interactionToken), {
        body: {
          // The API's own words are inside: escaped like any echo.
          content: fitEcho(text, 2_000),
          flags: MessageFlags.Ephemeral,
          allowed_mentions: NO_PINGS,
        },
        auth: false,
      });
      await this.rest.delete(
        Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'),
        { auth: false },
      );
      return true;
    } catch (error) {
      if (isTargetGone(error)) return false;
      throw error;
    }
  }

  private failureMessage(
    job: JobRecord,
    view: Extract<JobView, { kind: 'failed' }>,
    target: DiscordTarget,
  ): Outgoing {
    return {
      body: renderFailed(job, view, target),
      files: [],
      note: translate(jobLocale(job), 'discord.delivery.failed'),
    };
  }

  private async resultMessage(
    job: JobRecord,
    view: DoneView,
    target: DiscordTarget,
  ): Promise<Outgoing> {
    const note = translate(jobLocale(job), 'discord.delivery.ready');
    const url = view.imageUrls[0];
    if (!url) return { body: renderDone(job, view, target, undefined), files: [], note };
    const { placement, files } = await prepareImage(
      url,
      target.attachmentSizeLimit,
      this.logger,
      this.fetcher,
    );
    return { body: renderDone(job, view, target, placement), files, note };
  }

  private async sendFinal(
    job: JobRecord,
    target: DiscordTarget,
    outgoing: Outgoing,
    view: JobView,
    record: (route: Route) => Promise<void>,
  ): Promise<void> {
    try {
      await this.deliver(job, target, outgoing, record);
    } catch (error) {
      // The server's real limit was below what the interaction said: link the image rather than fail.
      if (!isUploadTooLarge(error) || view.kind !== 'done' || !view.imageUrls[0]) throw error;
      const body = renderDone(job, view, target, linkedImage(view.imageUrls[0], 'unknown'));
      await this.deliver(job, target, { ...outgoing, body, files: [] }, record);
    }
  }

  /**
   * Tries each way to the requester in turn, moving on only when Discord says a way is closed.
   * Each way is recorded before it is tried; new messages carry a nonce Discord enforces.
   */
  private async deliver(
    job: JobRecord,
    target: DiscordTarget,
    { body, files, note }: Outgoing,
    record: (route: Route) => Promise<void>,
  ): Promise<void> {
    const once = (route: Route) => ({ nonce: nonceFor(job.requestId, route), enforce_nonce: true });
    if (this.now() < target.tokenExpiresAt) {
      try {
        await record('original');
        return await this.editOriginal(target, body, files);
      } catch (error) {
        if (!isTargetGone(error)) throw error;
        this.logger.info(
          { requestId: job.requestId },
          'interaction response no longer editable; delivering another way',
        );
      }
    }
    // Where the bot is not a member, the channel is closed to it: only its DMs remain.
    if (!target.ephemeral && target.botMayPost !== false) {
      if (target.messageId) {
        try {
          await record('channel-edit');
          await this.rest.patch(Routes.channelMessage(target.channelId, target.messageId), {
            body,
            files,
          });
          return;
        } catch (error) {
          if (!isTargetGone(error)) throw error;
        }
      }
      try {
        await record('channel-post');
        await this.rest.post(Routes.channelMessages(target.channelId), {
          body: { ...addressedTo(body, target.userId, note), ...once('channel-post') },
          files,
        });
        return;
      } catch (error) {
        if (!isTargetGone(error)) throw error;
      }
    }
    // A private request, or a channel the bot cannot reach: the requester's DMs.
    const dm = await dmChannel(this.rest, target.userId);
    await record('dm');
    await this.rest.post(Routes.channelMessages(dm), {
      body: { ...addressedTo(body, target.userId, note), ...once('dm') },
      files,
    });
    this.logger.info({ requestId: job.requestId }, 'result delivered by direct message');
  }

  private async editOriginal(
    target: DiscordTarget,
    body: MessageBody,
    files: RawFile[],
  ): Promise<void> {
    await this.rest.patch(
      Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'),
      {
        body,
        files,
        auth: false,
      },
    );
  }
}
