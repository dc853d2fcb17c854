import { webApi } from '@slack/bolt';
import type { UserError } from '../../core/errors.js';
import { DeliveryError } from '../../core/types.js';
import { slackRefusal } from './messages.js';

/** Slack's error string (`not_in_channel`, `ratelimited`, …), or undefined for non-Slack errors. */
export function slackErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object' || !('code' in error)) return undefined;
  const coded = error as { code: webApi.ErrorCode; data?: { error?: string } };
  if (coded.code === webApi.ErrorCode.RateLimitedError) return 'ratelimited';
  if (coded.code === webApi.ErrorCode.PlatformError) return coded.data?.error ?? 'unknown_error';
  return undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

const TARGET_GONE = new Set([
  'message_not_found',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'cant_update_message',
]);
const TEMPORARY = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Slack's answers when the bot may not post in a conversation (and cannot join it). */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** The bot is not (or no longer) allowed in that conversation: the result goes privately instead. */
export function cannotPostThere(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && CANNOT_POST.has(code);
}

/** How core should treat a failed Slack call while showing a job: retry later, fall back, or give up. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = slackErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ratelimited')
    return new DeliveryError('RATE_LIMITED', message, retryAfterMs(error), { cause: error });
  if (code && TARGET_GONE.has(code))
    return new DeliveryError('TARGET_GONE', message, undefined, { cause: error });
  if (code && TEMPORARY.has(code))
    return new DeliveryError('TEMPORARY', message, undefined, { cause: error });
  const transport = (error as { code?: webApi.ErrorCode } | null)?.code;
  if (transport === webApi.ErrorCode.RequestError || transport === webApi.ErrorCode.HTTPError) {
    return new DeliveryError('TEMPORARY', message, undefined, { cause: error });
  }
  return new DeliveryError('PERMANENT', message, undefined, { cause: error });
}

/** The catalogued message for a Slack API failure met while handling a user's action. */
export function slackUserError(error: unknown): UserError | undefined {
  const code = slackErrorCode(error);
  if (code === 'ratelimited')
    return slackRefusal('slack_rate_limited', {
      retryAfterSeconds: (retryAfterMs(error) ?? 30_000) / 1000,
    });
  if (code) return slackRefusal('slack_api_error', { error: code });
  return undefined;
}
