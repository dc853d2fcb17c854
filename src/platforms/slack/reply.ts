import type { Logger } from '../../log.js';
import type { SlackMessage } from './render/job.js';
import type { SlackApi } from './slack-api.js';
import { slackErrorCode } from './slack-errors.js';

/** One person, and the ways to reach them privately from where they acted. */
export interface Audience {
  userId: string;
  channelId?: string;
  responseUrl?: string;
  responseUrlIssuedAt?: number;
  /** The thread they acted in: an ephemeral answer shows there. */
  threadTs?: string;
}

/**
 * Shows a message to one person only: through the response_url while it lasts (optionally replacing
 * the earlier ephemeral note), else ephemerally in the channel, else in their DM with the bot.
 */
export async function tellPrivately(
  slack: SlackApi,
  logger: Logger,
  audience: Audience,
  message: SlackMessage,
  replaceOriginal = false,
): Promise<void> {
  if (slack.canRespond(audience.responseUrl, audience.responseUrlIssuedAt)) {
    try {
      await slack.respond(audience.responseUrl, message, { replaceOriginal });
      return;
    } catch (error) {
      logger.debug({ err: error }, 'response_url refused; trying an ephemeral message');
    }
  }
  if (audience.channelId) {
    try {
      await slack.postEphemeral(audience.channelId, audience.userId, message, audience.threadTs);
      return;
    } catch (error) {
      if (slackErrorCode(error) === 'ratelimited') throw error;
    }
  }
  await slack.postMessage(await slack.openDm(audience.userId), message);
}
