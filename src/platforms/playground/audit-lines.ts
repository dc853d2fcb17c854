import type { AuditEvent } from '../../audit/index.js';
import { cleanEcho } from '../../core/echo.js';
import { truncate } from '../view-text.js';
import { channelShown } from './admin-notices.js';
import { PLAYGROUND_USERS } from './people.js';
import { newMessageId, type ChatRoom } from './room.js';

const OUTCOME_WORDS: Record<AuditEvent['outcome'], string> = {
  accepted: 'accepted',
  refused: 'refused',
  succeeded: 'made',
  failed: 'failed',
};

/**
 * One generation as the audit channel shows it: who, where, the prompt (short), the cost and how
 * it ended; for a blocked prompt the rule, which only moderators read here.
 */
export function auditLine(event: AuditEvent): string {
  const where = event.channelId === undefined ? 'direct messages' : channelShown(event.channelId);
  const why =
    event.outcome === 'refused'
      ? `: ${event.reason ?? 'refused'}${event.rule ? ` (rule \`${event.rule}\`)` : ''}`
      : event.outcome === 'failed' && event.failCode
        ? `: ${event.failCode}`
        : '';
  const cost = `${event.cost} credit${event.cost === 1 ? '' : 's'}`;
  return `${event.userName} in ${where} · “${truncate(cleanEcho(event.prompt), 80)}” · ${cost} · ${OUTCOME_WORDS[event.outcome]}${why}`;
}

/**
 * Posts audit lines in the chosen channel as the playground's private admin channel: seen by its
 * moderators only, since a line may name the rule that blocked someone's prompt.
 */
export function auditLinePoster(room: ChatRoom) {
  return (channelId: string, event: AuditEvent): Promise<void> => {
    for (const moderator of PLAYGROUND_USERS.filter((user) => user.role === 'moderator'))
      room.upsert({
        id: newMessageId(),
        channelId,
        visibleTo: moderator.id,
        body: { type: 'notice', tone: 'info', lines: [`Audit: ${auditLine(event)}`] },
      });
    return Promise.resolve();
  };
}
