import type { GenerationOptions } from '../../core/options.js';
import { startOnce } from '../start-once.js';
import type { JobView } from '../../core/types.js';
import type { SlackContext } from './context.js';
import { notInChannelNotice } from './delivery.js';
import { noticeMessage, statusMessage } from './render/job.js';
import { tellPrivately } from './reply.js';
import { slackErrorCode } from './slack-errors.js';
import { SLACK_PLATFORM, slackUser, type SlackTarget } from './target.js';

export interface GenerationStart {
  /** The interaction's trigger_id: sent as X-Request-ID and keys the job, so redelivery never charges twice. */
  requestId: string;
  teamId: string;
  userId: string;
  userName?: string;
  /** Where the result should appear; undefined means privately, in the requester's DM. */
  channelId?: string;
  responseUrl?: string;
  prompt: string;
  options: GenerationOptions;
}

const QUEUED: JobView = { kind: 'queued', position: null };

/**
 * The life of a generation up to core: post the status message where the result will go (joining
 * the channel or going private when the bot cannot post there), then hand the request to core.
 * Throws a UserError (quota, validation) with nothing left behind in the channel.
 */
export async function startGeneration(
  context: SlackContext,
  start: GenerationStart,
): Promise<void> {
  await startOnce(context.startsInFlight, context.service.jobs, start.requestId, () =>
    startNew(context, start),
  );
}

async function startNew(context: SlackContext, start: GenerationStart): Promise<void> {
  const { service, slack, logger } = context;

  const target: SlackTarget = {
    platform: SLACK_PLATFORM,
    teamId: start.teamId,
    channelId: start.channelId ?? (await slack.openDm(start.userId)),
    userId: start.userId,
    ephemeral: start.options.private || !start.channelId,
    ...(start.responseUrl
      ? { responseUrl: start.responseUrl, responseUrlIssuedAt: Date.now() }
      : {}),
  };
  const summary = {
    requestId: start.requestId,
    prompt: start.prompt,
    options: start.options,
    user: slackUser(start.teamId, start.userId, start.userName),
  };

  // Refuse before posting, so a request that cannot go ahead leaves no status message behind.
  await service.preflight(summary.user.key, { prompt: start.prompt, options: start.options });

  let postedTs: string | undefined;
  if (!target.ephemeral) {
    const status = statusMessage(summary, QUEUED);
    try {
      target.statusTs = postedTs = await postOrJoin(context, target.channelId, status);
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== 'not_in_channel' && code !== 'channel_not_found' && code !== 'is_archived')
        throw error;
      logger.info(
        { channel: target.channelId, error: code },
        'cannot post in the channel; the result goes privately',
      );
      target.ephemeral = true;
      target.notice = notInChannelNotice((await slack.bot()).name);
    }
  }

  let duplicate: boolean;
  try {
    ({ duplicate } = await service.request({
      requestId: start.requestId,
      user: summary.user,
      prompt: start.prompt,
      options: start.options,
      target,
    }));
  } catch (error) {
    if (postedTs) await slack.deleteMessage(target.channelId, postedTs).catch(() => undefined);
    throw error;
  }
  if (duplicate) {
    if (postedTs) await slack.deleteMessage(target.channelId, postedTs).catch(() => undefined);
    return;
  }
  if (target.ephemeral) {
    const note = target.notice
      ? `${target.notice}\n\nGenerating your image…`
      : 'Generating your image privately…';
    await tellPrivately(slack, logger, target, noticeMessage(note)).catch((error: unknown) =>
      logger.debug({ err: error }, 'could not show the private progress note'),
    );
  }
}

/** Posts in a channel, joining it first when it is public and the bot is not a member yet. */
async function postOrJoin(
  context: SlackContext,
  channel: string,
  message: Parameters<SlackContext['slack']['postMessage']>[1],
): Promise<string> {
  try {
    return await context.slack.postMessage(channel, message);
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel' || !(await context.slack.tryJoin(channel)))
      throw error;
    return context.slack.postMessage(channel, message);
  }
}
