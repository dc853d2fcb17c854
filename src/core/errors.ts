import { randomBytes } from 'node:crypto';
import { renderMessage, type MessageCode, type MessageParams } from './messages.js';

/** An error meant for the user: a stable code plus the catalogued message for it. */
export class UserError<C extends MessageCode = MessageCode> extends Error {
  readonly code: C;
  readonly params: MessageParams<C>;

  constructor(
    code: C,
    ...params: MessageParams<C> extends Record<string, never> ? [] : [MessageParams<C>]
  ) {
    const resolved = (params[0] ?? {}) as MessageParams<C>;
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
): { code: MessageCode; text: string } {
  if (isUserError(error)) return { code: error.code, text: error.message };
  return { code: 'internal', text: renderMessage('internal', { correlationId }) };
}
