import { downloadImage, ImageDownloadError, type DownloadLimits } from '../../core/images.js';
import { renderMessage } from '../../core/messages.js';
import { DeliveryError, type Delivery, type JobRecord, type JobView } from '../../core/types.js';
import type { Logger } from '../../log.js';
import {
  failureMessage,
  noticeMessage,
  privateResultNote,
  resultMessage,
  statusMessage,
  type SlackMessage,
} from './render/job.js';
import { tellPrivately } from './reply.js';
import type { SlackApi } from './slack-api.js';
import { slackErrorCode, toDeliveryError } from './slack-errors.js';
import { isSlackTarget, type SlackTarget } from './target.js';

export interface SlackDeliveryOptions {
  /**
   * At least this long between two non-final edits of one message. `chat.update` is a Tier 3
   * method (about 50 a minute per workspace) and Slack asks for about one message a second per
   * channel, so every few seconds per status message leaves room for many jobs at once.
   */
  minUpdateIntervalMs?: number;
  downloadLimits?: DownloadLimits;
}

type DoneView = Extract<JobView, { kind: 'done' }>;
type FailedView = Extract<JobView, { kind: 'failed' }>;

/**
 * Shows a job in Slack: edits the status message while it waits, then replaces it with one message
 * carrying the uploaded image, prompt and buttons (or turns it into the failure). Private jobs get
 * their image in the requester's DM and an ephemeral note through the command's response_url.
 */
export class SlackDelivery implements Delivery {
  private readonly minUpdateIntervalMs: number;
  private readonly lastUpdateAt = new Map<string, number>();
  /** A status message re-posted after the original vanished, by request id. */
  private readonly replacementTs = new Map<string, string>();
  /** Uploads already done, so a retried final never posts the image twice. */
  private readonly uploaded = new Map<string, string>();

  constructor(
    private readonly slack: SlackApi,
    private readonly logger: Logger,
    private readonly options: SlackDeliveryOptions = {},
  ) {
    this.minUpdateIntervalMs = options.minUpdateIntervalMs ?? 3_000;
  }

  async show(job: JobRecord, view: JobView): Promise<void> {
    const target = job.target;
    if (!isSlackTarget(target)) throw new DeliveryError('PERMANENT', 'not a Slack delivery target');
    try {
      switch (view.kind) {
        case 'queued':
        case 'generating':
          return await this.showProgress(job, target, view);
        case 'done':
          return await this.showResult(job, target, view);
        case 'failed':
          return await this.showFailure(job, target, view);
      }
    } catch (error) {
      throw toDeliveryError(error);
    } finally {
      if (view.kind === 'done' || view.kind === 'failed') this.forget(job.requestId);
    }
  }

  private forget(requestId: string): void {
    this.lastUpdateAt.delete(requestId);
  }

  private statusTs(job: JobRecord, target: SlackTarget): string | undefined {
    return this.replacementTs.get(job.requestId) ?? target.statusTs;
  }

  /**
   * Private jobs show no progress: each response_url allows only 5 posts, kept for the result.
   * Public ones are paced so progress never crowds out other jobs' finals in the rate limit.
   */
  private async showProgress(job: JobRecord, target: SlackTarget, view: JobView): Promise<void> {
    if (target.ephemeral) return;
    const now = Date.now();
    if (now - (this.lastUpdateAt.get(job.requestId) ?? 0) < this.minUpdateIntervalMs) return;
    this.lastUpdateAt.set(job.requestId, now);
    await this.editStatus(job, target, statusMessage(job, view));
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
    this.replacementTs.set(job.requestId, await this.slack.postMessage(target.channelId, message));
  }

  private async showResult(job: JobRecord, target: SlackTarget, view: DoneView): Promise<void> {
    if (target.ephemeral) return this.showPrivateResult(job, target, view);
    if (!this.uploaded.has(job.requestId)) {
      try {
        const file = await this.upload(job, target.channelId, view, (fileId) =>
          resultMessage(job, view, fileId),
        );
        this.uploaded.set(job.requestId, file);
      } catch (error) {
        const code = slackErrorCode(error);
        // Removed from the channel (or it was archived) while generating: the image goes to the requester instead.
        if (code !== 'not_in_channel' && code !== 'channel_not_found' && code !== 'is_archived')
          throw error;
        this.logger.info(
          { requestId: job.requestId, error: code },
          'cannot post the result in the channel; sending it privately',
        );
        const notice = notInChannelNotice((await this.slack.bot()).name);
        await this.showPrivateResult(job, { ...target, ephemeral: true, notice }, view);
        const ts = this.statusTs(job, target);
        if (ts) await this.slack.deleteMessage(target.channelId, ts).catch(() => undefined);
        return;
      }
    }
    // The result is a new message (the image lives in a file share), so the status message goes away.
    const ts = this.statusTs(job, target);
    if (ts)
      await this.slack
        .deleteMessage(target.channelId, ts)
        .catch((error: unknown) => this.tolerateGone(error));
    this.uploaded.delete(job.requestId);
    this.replacementTs.delete(job.requestId);
  }

  private async showPrivateResult(
    job: JobRecord,
    target: SlackTarget,
    view: DoneView,
  ): Promise<void> {
    let fileId = this.uploaded.get(job.requestId);
    const dm = await this.slack.openDm(target.userId);
    if (!fileId) {
      fileId = await this.upload(job, dm, view, (id) => resultMessage(job, view, id));
      this.uploaded.set(job.requestId, fileId);
    }
    const note = privateResultNote(job, fileId, dm);
    if (target.notice) note.blocks.unshift(...noticeMessage(target.notice).blocks);
    // The image is safe in the DM already; the note where the command was typed is a courtesy.
    await this.tellRequester(target, note, true).catch((error: unknown) =>
      this.logger.info(
        { requestId: job.requestId, err: error },
        'could not leave the private result note',
      ),
    );
    this.uploaded.delete(job.requestId);
  }

  private async showFailure(job: JobRecord, target: SlackTarget, view: FailedView): Promise<void> {
    const message = failureMessage(job, view);
    if (target.ephemeral) {
      await this.tellRequester(target, message, true);
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

  private async upload(
    job: JobRecord,
    channel: string,
    view: DoneView,
    message: (fileId: string) => SlackMessage,
  ): Promise<string> {
    const imageUrl = view.imageUrls[0];
    if (!imageUrl) throw new DeliveryError('PERMANENT', 'the finished task has no image URL');
    let image;
    try {
      image = await downloadImage(imageUrl, this.options.downloadLimits);
    } catch (error) {
      if (error instanceof ImageDownloadError) {
        const temporary =
          error.reason === 'timeout' ||
          error.reason === 'network' ||
          error.reason === 'http_status';
        throw new DeliveryError(temporary ? 'TEMPORARY' : 'PERMANENT', error.message, undefined, {
          cause: error,
        });
      }
      throw error;
    }
    const title = job.prompt.length > 80 ? `${job.prompt.slice(0, 79)}…` : job.prompt;
    const file = await this.slack.uploadImage(
      channel,
      { bytes: image.bytes, fileName: image.fileName, title },
      message,
    );
    return file.fileId;
  }

  private tolerateGone(error: unknown): void {
    const code = slackErrorCode(error);
    if (code === 'channel_not_found' || code === 'cant_delete_message') return;
    throw error;
  }
}

/** The message for a request that cannot go to its channel, with the invite hint. */
export function notInChannelNotice(botName: string): string {
  return renderMessage('slack_not_in_channel', { botName });
}
