import type { AuditEvent } from '../../audit/index.js';
import { describeOptions } from '../../core/options.js';
import { NO_PINGS, type MessageBody } from './render.js';
import { userIdOf } from './target.js';
import { fit, fitEcho } from './text.js';

const MARK = { succeeded: '✅', failed: '❌', refused: '⛔', accepted: '⏳' } as const;

function outcomeText(event: AuditEvent): string {
  if (event.outcome === 'failed') return `failed${event.failCode ? ` (${event.failCode})` : ''}`;
  if (event.outcome !== 'refused') return event.outcome;
  // The rule is for the admins who read this channel; the member was told only that a rule matched.
  const rule = event.rule ? `, rule ${fitEcho(event.rule, 120)}` : '';
  return `refused (${event.reason ?? 'unknown'}${rule})`;
}

/**
 * One generation as one line in a server's audit channel: when, who, where, the prompt (short),
 * options, cost and outcome. Mentions show names and ping nobody.
 */
export function auditLine(event: AuditEvent): MessageBody {
  const userId = userIdOf(event.userKey);
  const who = userId ? `<@${userId}>` : fitEcho(event.userName, 80);
  const where = event.channelId ? ` in <#${event.channelId}>` : '';
  const prompt = fitEcho(event.prompt.replace(/\s+/g, ' '), 200);
  const cost = `${event.cost} credit${event.cost === 1 ? '' : 's'}`;
  const parts = [
    `${MARK[event.outcome]} <t:${Math.floor(event.at / 1000)}:t> ${who}${where}: “${prompt}”`,
    describeOptions(event.options),
    cost,
    outcomeText(event),
  ];
  return {
    content: fit(parts.join(' · '), 2_000),
    embeds: [],
    components: [],
    allowed_mentions: NO_PINGS,
  };
}
