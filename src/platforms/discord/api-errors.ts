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

/** Interaction tokens sit in webhook and callback URLs; they must never reach a log line. */
export function redactTokens(url: string): string {
  return url.replace(/\/(webhooks|interactions)\/(\d+)\/[^/?]+/g, '/$1/$2/[token]');
}

/**
 * What is safe to log about a Discord REST failure. discord.js errors carry the request URL (with
 * the interaction token) and the request body (with the uploaded image), so only a summary goes out.
 */
export function loggableError(error: unknown): unknown {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return {
      type: error.name,
      message: error.message,
      status: error.status,
      ...(error instanceof DiscordAPIError ? { code: error.code } : {}),
      request: `${error.method.toUpperCase()} ${redactTokens(error.url)}`,
    };
  }
  if (error instanceof RateLimitError) {
    return {
      type: error.name,
      message: `rate limited for ${error.retryAfter} ms (${error.scope}, global: ${error.global})`,
      request: `${error.method.toUpperCase()} ${redactTokens(error.route)}`,
    };
  }
  return error;
}

/** Tells core whether showing a view is worth another try, and when. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const summary = loggableError(error);
  const message =
    error instanceof Error && summary !== error
      ? `${(summary as { request: string }).request}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  const options = { cause: summary };
  if (error instanceof RateLimitError) {
    return new DeliveryError('RATE_LIMITED', message, error.retryAfter, options);
  }
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    if (error.status === 429) return new DeliveryError('RATE_LIMITED', message, undefined, options);
    if (error.status >= 500) return new DeliveryError('TEMPORARY', message, undefined, options);
    if (isTargetGone(error)) return new DeliveryError('TARGET_GONE', message, undefined, options);
    return new DeliveryError('PERMANENT', message, undefined, options);
  }
  // Network failures and timeouts: the message is still there, the next try may reach it.
  return new DeliveryError('TEMPORARY', message, undefined, options);
}
