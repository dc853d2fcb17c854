import { cleanEcho } from '../core/echo.js';
import { isUserError, newCorrelationId, describeForUser } from '../core/errors.js';

/**
 * A platform's own words for some catalogued codes, e.g. Discord's "someone with Manage Messages
 * in this channel" where the neutral text says "a moderator". Kept with the adapter, so the
 * conversation and the core never name a platform.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformWording = Partial<Record<string, (params: any) => string>>;

/** The text a person sees for an error: the platform's wording, else the catalogue's, else a correlation id. */
export function describeError(
  error: unknown,
  wording: PlatformWording = {},
  correlationId: string = newCorrelationId(),
): { code: string; text: string; correlationId: string } {
  if (isUserError(error)) {
    const own = wording[error.code];
    return {
      code: error.code,
      text: own ? cleanEcho(own(error.params)) : error.message,
      correlationId,
    };
  }
  return { ...describeForUser(error, correlationId), correlationId };
}
