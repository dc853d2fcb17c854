import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { DeliveryError } from '../../core/types.js';

/** Discord's answers meaning "this way to the message is closed": try another way, or give up on it. */
const TARGET_GONE_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

export function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number'
    ? error.code
    : undefined;
}

/** True when Discord refused this route to the message for good (expired token, deleted, no access). */
export function isTargetGone(error: unknown): boolean {
  if (!(error instanceof DiscordAPIError)) return false;
  const code = discordErrorCode(error);
  return (code !== undefined && TARGET_GONE_CODES.has(code)) || error.status === 404;
}

export function isUploadTooLarge(error: unknown): boolean {
  return (
    discordErrorCode(error) === RESTJSONErrorCodes.RequestEntityTooLarge ||
    (error instanceof DiscordAPIError && error.status === 413)
  );
}

/** Tells core whether showing a view is worth another try, and when. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RateLimitError) {
    return new DeliveryError(
      'RATE_LIMITED',
      `Discord rate limit on ${error.route}`,
      error.retryAfter,
      { cause: error },
    );
  }
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    if (error.status === 429)
      return new DeliveryError('RATE_LIMITED', message, undefined, { cause: error });
    if (error.status >= 500)
      return new DeliveryError('TEMPORARY', message, undefined, { cause: error });
    if (isTargetGone(error))
      return new DeliveryError('TARGET_GONE', message, undefined, { cause: error });
    return new DeliveryError('PERMANENT', message, undefined, { cause: error });
  }
  // Network failures and timeouts: the message is still there, the next try may reach it.
  return new DeliveryError('TEMPORARY', message, undefined, { cause: error });
}
