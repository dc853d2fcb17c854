import { cleanEcho } from '../../core/echo.js';
import { ImageDownloadError, ImageFetcher } from '../../core/images.js';
import {
  DeliveryError,
  type Delivery,
  type DeliveryProgress,
  type DeliverySteps,
  type JobRecord,
  type JobView,
} from '../../core/types.js';
import type { Locale } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import { truncate } from '../view-text.js';
import {
  failureMessage,
  noticeMessage,
  privateResultNote,
  resultMessage,
  statusMessage,
  type SlackMessage,
} from './render/job.js';
import { notInChannelNotice } from './messages.js';
import { tellPrivately } from './reply.js';
import type { SlackApi } from './slack-api.js';
import { cannotPostThere, slackErrorCode, toDeliveryError } from './slack-errors.js';
import { isSlackTarget, localeOfJob, type SlackTarget } from './target.js';

export interface SlackDeliveryOptions {
  /** Fetches results (the bot's one fetcher, with its trusted hosts); default: public hosts only. */
  fetcher?: ImageFetcher;
}

type DoneView = Extract<JobView, { kind: 'done' }>;
type FailedView = Extract<JobView, { kind: 'failed' }>;

/**
 * What the Slack delivery records in the job while it shows a result (files v2: the file id once
 * its bytes arrived, the conversation its completion was sent to, then that it is shared there),
 * so a process resuming after a crash finishes that upload instead of posting the image again.
 */
interface SlackSteps {
  fileId?: string;
  bytesSent?: boolean;
  sharingIn?: string;
  sharedIn?: string;
  /** The private result's courtesy note was left where the command was typed. */
  noteLeft?: boolean;
}

/** Progress kept only in memory, for a caller that does not persist it. */
function unrecordedProgress(): DeliveryProgress {
  const steps: DeliverySteps = {};
  return { steps, record: (more) => Promise.resolve(void Object.assign(steps, more)) };
}

/**
 * Shows a job in Slack: edits the status message while it waits, then replaces it with one message
 * carrying the uploaded image, prompt and buttons (or turns it into the failure). Private jobs get
 * their image in the requester's DM and an ephemeral note through the command's response_url.
 * Progress arrives paced already (PacedDelivery), and a result that cannot be fetched is left as
 * the ImageDownloadError it is, for PacedDelivery to map.
 */
export class SlackDelivery implements Delivery {
  private readonly fetcher: ImageFetcher;
  /** A status message re-posted after the original vanished, by request id. */
  private readonly replacementTs = new Map<string, string>();

  constructor(
    private readonly slack: SlackApi,
    private readonly logger: Logger,
    private readonly options: SlackDeliveryOptions = {},
  ) {
    this.fetcher = options.fetcher ?? new ImageFetcher();
  }

  async show(job: JobRecord, view: JobView, progress?: DeliveryProgress): Promise<void> {
    const target = job.target;
    if (!isSlackTarget(target)) throw new DeliveryError('PERMANENT', 'not a Slack delivery target');
    try {
      switch (view.kind) {
        case 'queued':
        case 'generating':
          return await this.showProgress(job, target, view);
        case 'done':
          return await this.showResult(job, target, view, progress ?? unrecordedProgress());
        case 'failed':
          return await this.showFailure(job, target, view);
      }
    } catch (error) {
      throw error instanceof ImageDownloadError ? error : toDeliveryError(error);
    }
  }

  private statusTs(job: JobRecord, target: SlackTarget): string | undefined {
    return this.replacementTs.get(job.requestId) ?? target.statusTs;
  }

  /** Private jobs show no progress: each response_url allows only 5 posts, kept for the result. */
  private async showProgress(job: JobRecord, target: SlackTarget, view: JobView): Promise<void> {
    if (target.ephemeral) return;
    await this.editStatus(job, target, statusMessage(job, view, localeOfJob(job, target)));
  }

  /** Edits the status message; if someone deleted it, posts a fresh one so the job stays visible. */
  private async editStatus(
    job: JobRecord,
    target: SlackTarget,
    message: SlackMessage,
  ): Promise<void> {
    const ts = this.statusTs(job, target);
    if (ts) {
      try {
        await this.slack.updateMessage(target.channelId, ts, message);
        return;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== 'message_not_found' && code !== 'cant_update_message') throw error;
        this.logger.info({ requestId: job.requestId }, 'status message is gone; posting a new one');
      }
    }
    this.replacementTs.set(
      job.requestId,
      await this.slack.postMessage(target.channelId, message, target.threadTs),
    );
  }

  private async showResult(
    job: JobRecord,
    target: SlackTarget,
    view: DoneView,
    progress: DeliveryProgress,
  ): Promise<void> {
    if (target.ephemeral) return this.showPrivateResult(job, target, view, progress);
    try {
      await this.shareImage(job, target.channelId, view, progress, {
        locale: localeOfJob(job, target),
        ...(target.threadTs ? { threadTs: target.threadTs } : {}),
      });
    } catch (error) {
      // Removed from the channel (or it was archived) while generating: the image goes to the requester instead.
      if (!cannotPostThere(error)) throw error;
      this.logger.info(
        { requestId: job.requestId, error: slackErrorCode(error) },
        'cannot post the result in the channel; sending it privately',
      );
      const notice = notInChannelNotice((await this.slack.bot()).name, localeOfJob(job, target));
      await this.showPrivateResult(job, { ...target, ephemeral: true, notice }, view, progress);
      const ts = this.statusTs(job, target);
      if (ts) await this.slack.deleteMessage(target.channelId, ts).catch(() => undefined);
      return;
    }
    // The result is a new message (the image lives in a file share), so the status message goes away.
    const ts = this.statusTs(job, target);
    if (ts)
      await this.slack
        .deleteMessage(target.channelId, ts)
        .catch((error: unknown) => this.tolerateGone(error));
    this.replacementTs.delete(job.requestId);
  }

  private async showPrivateResult(
    job: JobRecord,
    target: SlackTarget,
    view: DoneView,
    progress: DeliveryProgress,
  ): Promise<void> {
    const dm = await this.slack.openDm(target.userId);
    const fileId = await this.shareImage(job, dm, view, progress, {
      locale: localeOfJob(job, target),
    });
    if ((progress.steps as SlackSteps).noteLeft) return;
    const note = privateResultNote(job, fileId, dm, localeOfJob(job, target));
    if (target.notice) note.blocks.unshift(...noticeMessage(target.notice).blocks);
    // The image is safe in the DM already; the note where the command was typed is a courtesy.
    await this.tellRequester(target, note, true).catch((error: unknown) =>
      this.logger.info(
        { requestId: job.requestId, err: error },
        'could not leave the private result note',
      ),
    );
    await progress.record({ noteLeft: true });
  }

  /**
   * Uploads the result and shares it into the conversation as the result message, carrying on
   * from what earlier attempts recorded (in this process or one that crashed): bytes that arrived
   * are not sent again, and a completion that took effect is not repeated, so Slack shows the
   * image once. Returns the file's id.
   */
  private async shareImage(
    job: JobRecord,
    channel: string,
    view: DoneView,
    progress: DeliveryProgress,
    { locale, threadTs }: { locale: Locale; threadTs?: string },
  ): Promise<string> {
    const earlier = progress.steps as SlackSteps;
    if (earlier.fileId && earlier.sharedIn === channel) return earlier.fileId;
    if (earlier.fileId && earlier.sharingIn === channel) {
      const shared = await this.slack.isSharedIn(earlier.fileId, channel);
      if (shared) {
        await progress.record({ sharedIn: channel });
        return earlier.fileId;
      }
      // Slack no longer knows the file (an upload never completed expires): upload it anew.
      if (shared === undefined) await progress.record({ fileId: '', bytesSent: false });
    }
    let fileId = earlier.bytesSent ? earlier.fileId : undefined;
    if (!fileId) {
      fileId = await this.upload(job, view);
      await progress.record({ fileId, bytesSent: true });
    }
    await progress.record({ sharingIn: channel });
    await this.slack.completeUpload(
      fileId,
      channel,
      this.titleOf(job),
      resultMessage(job, view, fileId, locale),
      threadTs,
    );
    await progress.record({ sharedIn: channel });
    return fileId;
  }

  private async showFailure(job: JobRecord, target: SlackTarget, view: FailedView): Promise<void> {
    const message = failureMessage(job, view, localeOfJob(job, target));
    if (target.ephemeral) {
      await this.tellRequester(target, message, true);
      return;
    }
    if (!job.taskId) {
      // Refused before any task existed (the request, the operator's key or balance): like any
      // refusal, told to the requester alone, and the public status message goes away first.
      const ts = this.statusTs(job, target);
      if (ts) await this.slack.deleteMessage(target.channelId, ts);
      await this.tellRequester(target, message, false);
      this.replacementTs.delete(job.requestId);
      return;
    }
    await this.editStatus(job, target, message);
    this.replacementTs.delete(job.requestId);
  }

  private tellRequester(
    target: SlackTarget,
    message: SlackMessage,
    replaceOriginal: boolean,
  ): Promise<void> {
    return tellPrivately(this.slack, this.logger, target, message, replaceOriginal);
  }

  /** Downloads the result and sends its bytes to Slack: a file nobody sees until it is completed. */
  private async upload(job: JobRecord, view: DoneView): Promise<string> {
    const imageUrl = view.imageUrls[0];
    if (!imageUrl) throw new DeliveryError('PERMANENT', 'the finished task has no image URL');
    const image = await this.fetcher.download(imageUrl);
    return this.slack.sendImage({
      bytes: image.bytes,
      fileName: image.fileName,
      title: this.titleOf(job),
    });
  }

  private titleOf(job: JobRecord): string {
    return truncate(cleanEcho(job.prompt), 80);
  }

  private tolerateGone(error: unknown): void {
    const code = slackErrorCode(error);
    if (code === 'channel_not_found' || code === 'cant_delete_message') return;
    throw error;
  }
}
