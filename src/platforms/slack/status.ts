import type { PendingGeneration, StatusPlacement } from '../../conversation/index.js';
import type { JobView } from '../../core/types.js';
import { translate } from '../../i18n/index.js';
import type { SlackContext } from './context.js';
import type { SlackEvent } from './interaction.js';
import { notInChannelNotice } from './messages.js';
import { noticeMessage, statusMessage } from './render/job.js';
import { tellPrivately } from './reply.js';
import { cannotPostThere, slackErrorCode } from './slack-errors.js';
import { SLACK_PLATFORM, type SlackTarget } from './target.js';

const QUEUED: JobView = { kind: 'queued', position: null };

/**
 * Where a new generation's status goes: a message in the channel (joining a public one first),
 * or, for a private request or a channel the bot cannot post in, nothing public at all: the
 * requester is told privately and the result goes to their DM.
 */
export async function placeSlackStatus(
  context: SlackContext,
  event: SlackEvent,
  generation: PendingGeneration,
): Promise<StatusPlacement> {
  const { slack, logger } = context;
  const locale = event.locale ?? context.locales.fallback;
  const target: SlackTarget = {
    platform: SLACK_PLATFORM,
    teamId: event.teamId,
    channelId: event.resultChannelId ?? (await slack.openDm(event.userId)),
    userId: event.userId,
    ephemeral: generation.options.private || !event.resultChannelId,
    ...(event.locale ? { locale: event.locale } : {}),
    // Asked inside a thread: the job lives in that thread (its thread is in that channel).
    ...(event.threadTs && event.resultChannelId ? { threadTs: event.threadTs } : {}),
    ...(event.responseUrl
      ? { responseUrl: event.responseUrl, responseUrlIssuedAt: event.receivedAt }
      : {}),
  };
  let postedTs: string | undefined;
  if (!target.ephemeral) {
    const status = statusMessage(generation, QUEUED, locale);
    try {
      target.statusTs = postedTs = await slack.postJoining(target.channelId, () =>
        slack.postMessage(target.channelId, status, target.threadTs),
      );
    } catch (error) {
      if (!cannotPostThere(error)) throw error;
      logger.info(
        { channel: target.channelId, error: slackErrorCode(error) },
        'cannot post in the channel; the result goes privately',
      );
      target.ephemeral = true;
      target.notice = notInChannelNotice((await slack.bot()).name, locale);
    }
  }
  return {
    target,
    async accepted() {
      if (!target.ephemeral) return;
      const note = target.notice
        ? `${target.notice}\n\n${translate(locale, 'slack.status.afterNotice')}`
        : translate(locale, 'slack.status.private');
      await tellPrivately(slack, logger, target, noticeMessage(note)).catch((error: unknown) =>
        logger.debug({ err: error }, 'could not show the private progress note'),
      );
    },
    async withdraw() {
      if (postedTs) await slack.deleteMessage(target.channelId, postedTs).catch(() => undefined);
    },
  };
}
