import { describeForUser, isUserError, newCorrelationId } from '../../core/errors.js';
import type { PlaygroundContext } from './context.js';
import { newMessageId } from './room.js';

/** Where a person acted, so a private reply appears in the channel they are looking at. */
export interface Audience {
  userId: string;
  channelId: string;
}

/** A reply only this person sees, like an ephemeral message on Slack or Discord. */
export function tellPrivately(
  context: PlaygroundContext,
  audience: Audience,
  lines: string[],
  tone: 'info' | 'error' = 'info',
): void {
  context.room.upsert({
    id: newMessageId(),
    channelId: audience.channelId,
    visibleTo: audience.userId,
    body: { type: 'notice', tone, lines },
  });
}

/** The catalogued message for a UserError; anything else is logged with the reference shown. */
export function reportError(
  context: PlaygroundContext,
  audience: Audience,
  error: unknown,
  what: string,
): void {
  const correlationId = newCorrelationId();
  if (!isUserError(error))
    context.logger.error({ err: error, correlationId, user: audience.userId }, `${what} failed`);
  tellPrivately(context, audience, [describeForUser(error, correlationId).text], 'error');
}
