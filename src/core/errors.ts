import { randomBytes } from 'node:crypto';
import type { Locale } from '../i18n/index.js';
import { renderMessage, type MessageCode, type MessageParams } from './messages.js';

/** The placeholders of a core message, or a loose record for a code of another catalogue. */
type ParamsArgs<C extends string> = C extends MessageCode
  ? MessageParams<C> extends Record<string, never>
    ? []
    : [MessageParams<C>]
  : [Record<string, unknown>?];

/**
 * An error meant for the user: a stable code plus the catalogued message for it. Codes of the
 * conversation layer and of each platform come from their own catalogues (registerCatalogue).
 * `message` is English; the code and params say it again in the reader's language (messageIn).
 */
export class UserError<C extends string = string> extends Error {
  readonly code: C;
  readonly params: Record<string, unknown>;

  constructor(code: C, ...params: ParamsArgs<C>) {
    const resolved: Record<string, unknown> = params[0] ?? {};
    super(renderMessage(code, resolved));
    this.name = 'UserError';
    this.code = code;
    this.params = resolved;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Short, unambiguous, and easy to read out over a support chat. */
export function newCorrelationId(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}

/**
 * The message a user sees for any error: the catalogued one for a UserError, otherwise a generic
 * message carrying a correlation id that the caller must log alongside the error.
 */
export function describeForUser(
  error: unknown,
  correlationId: string,
  locale: Locale = 'en',
): { code: string; text: string } {
  if (isUserError(error)) return { code: error.code, text: messageIn(error, locale) };
  return { code: 'internal', text: renderMessage('internal', { correlationId }, locale) };
}

/** A UserError's message said in `locale` (its `message` is the English one, for logs and tests). */
export function messageIn(error: UserError, locale: Locale): string {
  return locale === 'en' ? error.message : renderMessage(error.code, error.params, locale);
}
