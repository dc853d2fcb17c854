import type { AuditEvent } from '../../audit/index.js';
import { describeOptions } from '../../core/options.js';
import { translator, type Locale, type Translator } from '../../i18n/index.js';
import { NO_PINGS, type MessageBody } from './render.js';
import { userIdOf } from './target.js';
import { fit, fitEcho } from './text.js';

const MARK = { succeeded: '✅', failed: '❌', refused: '⛔', accepted: '⏳' } as const;

function outcomeText(event: AuditEvent, t: Translator): string {
  if (event.outcome === 'failed')
    return event.failCode
      ? t('discord.audit.failedCode', { code: event.failCode })
      : t('discord.audit.failed');
  if (event.outcome !== 'refused') return t(`discord.audit.${event.outcome}`);
  // The rule is for the admins who read this channel; the member was told only that a rule matched.
  const rule = event.rule ? t('discord.audit.rule', { rule: fitEcho(event.rule, 120) }) : '';
  return t('discord.audit.refused', {
    reason: event.reason ?? t('discord.audit.unknownReason'),
    rule,
  });
}

/**
 * One generation as one line in a server's audit channel: when, who, where, the prompt (short),
 * options, cost and outcome, in the server's language when it happened (`defaultLocale` for
 * records that predate it). Mentions show names and ping nobody. Options are the values as typed.
 */
export function auditLine(event: AuditEvent, defaultLocale: Locale = 'en'): MessageBody {
  const t = translator(event.placeLocale ?? defaultLocale);
  const userId = userIdOf(event.userKey);
  const who = userId ? `<@${userId}>` : fitEcho(event.userName, 80);
  const where = event.channelId
    ? t('discord.audit.where', { channel: `<#${event.channelId}>` })
    : '';
  const prompt = fitEcho(event.prompt.replace(/\s+/g, ' '), 200);
  const parts = [
    t('discord.audit.line', {
      mark: MARK[event.outcome],
      time: `<t:${Math.floor(event.at / 1000)}:t>`,
      who,
      where,
      prompt,
    }),
    describeOptions(event.options),
    t('discord.audit.credits', { count: event.cost }),
    outcomeText(event, t),
  ];
  return {
    content: fit(parts.join(' · '), 2_000),
    embeds: [],
    components: [],
    allowed_mentions: NO_PINGS,
  };
}
