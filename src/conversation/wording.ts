import { cleanEcho } from '../core/echo.js';
import { isUserError, newCorrelationId, describeForUser } from '../core/errors.js';
import type { Locale } from '../i18n/index.js';

/**
 * A platform's own words for some catalogued codes, e.g. Discord's "someone with Manage Messages
 * in this channel" where the neutral text says "a moderator". Kept with the adapter, so the
 * conversation and the core never name a platform. Each takes the code's params and the reader's
 * language (its words in the catalogue, e.g. `discord.error.<code>`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformWording = Partial<Record<string, (params: any, locale: Locale) => string>>;

/**
 * The text a person sees for an error, in their language: the platform's wording, else the
 * catalogue's, else the generic message with a correlation id.
 */
export function describeError(
  error: unknown,
  wording: PlatformWording = {},
  correlationId: string = newCorrelationId(),
  locale: Locale = 'en',
): { code: string; text: string; correlationId: string } {
  if (isUserError(error)) {
    const own = wording[error.code];
    if (own) return { code: error.code, text: cleanEcho(own(error.params, locale)), correlationId };
  }
  return { ...describeForUser(error, correlationId, locale), correlationId };
}
