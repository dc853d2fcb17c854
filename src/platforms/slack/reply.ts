import { describeForUser, isUserError, newCorrelationId } from '../../core/errors.js';
import type { Logger } from '../../log.js';
import { noticeMessage, type SlackMessage } from './render/job.js';
import type { SlackApi } from './slack-api.js';
import { slackErrorCode, slackUserError } from './slack-errors.js';

/** One person, and the ways to reach them privately from where they acted. */
export interface Audience {
  userId: string;
  channelId?: string;
  responseUrl?: string;
  responseUrlIssuedAt?: number;
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
      await slack.postEphemeral(audience.channelId, audience.userId, message);
      return;
    } catch (error) {
      if (slackErrorCode(error) === 'ratelimited') throw error;
    }
  }
  await slack.postMessage(await slack.openDm(audience.userId), message);
}

/**
 * Tells the person what went wrong: the catalogued message for a UserError or a Slack refusal,
 * otherwise the generic message with a correlation id that is also in the log line.
 */
export async function reportError(
  slack: SlackApi,
  logger: Logger,
  audience: Audience,
  error: unknown,
  context: string,
): Promise<void> {
  const known = isUserError(error) ? error : slackUserError(error);
  const correlationId = newCorrelationId();
  if (known)
    logger.info(
      { user: audience.userId, code: known.code, slackError: slackErrorCode(error) },
      `${context}: refused`,
    );
  else logger.error({ user: audience.userId, correlationId, err: error }, `${context} failed`);
  const { text } = describeForUser(known ?? error, correlationId);
  try {
    await tellPrivately(slack, logger, audience, noticeMessage(text));
  } catch (secondary) {
    logger.warn(
      { user: audience.userId, correlationId, err: secondary },
      'could not tell the user about an error',
    );
  }
}
