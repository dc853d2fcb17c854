import type { AuditEvent } from '../../audit/index.js';
import { translator, type Locale } from '../../i18n/index.js';
import { quotedPrompt } from './render.js';
import { channelShown } from './admin-notices.js';
import { PLAYGROUND_USERS } from './people.js';
import { newMessageId, type ChatRoom } from './room.js';

/**
 * One generation as the audit channel shows it: who, where, the prompt (short), the cost and how
 * it ended; for a blocked prompt the rule, which only moderators read here. In the server's
 * language when it happened (the event's placeLocale), else `serverLocale`.
 */
export function auditLine(event: AuditEvent, serverLocale: Locale = 'en'): string {
  const locale = event.placeLocale ?? serverLocale;
  const t = translator(locale);
  const where =
    event.channelId === undefined
      ? t('playground.directMessages')
      : channelShown(event.channelId, locale);
  const why =
    event.outcome === 'refused'
      ? t('playground.audit.why', {
          reason: event.reason ?? t('playground.audit.refused'),
          rule: event.rule ? t('playground.audit.rule', { rule: event.rule }) : '',
        })
      : event.outcome === 'failed' && event.failCode
        ? t('playground.audit.why', { reason: String(event.failCode), rule: '' })
        : '';
  return t('playground.audit.line', {
    who: event.userName,
    where,
    prompt: quotedPrompt(event.prompt, locale),
    cost: t('playground.admin.credits', { count: event.cost }),
    outcome: t(`playground.audit.${event.outcome}`),
    why,
  });
}

/**
 * Posts audit lines (in the server's language) in the chosen channel as the playground's private admin channel: seen by its
 * moderators only, since a line may name the rule that blocked someone's prompt.
 */
export function auditLinePoster(room: ChatRoom, locale: Locale) {
  return (channelId: string, event: AuditEvent): Promise<void> => {
    for (const moderator of PLAYGROUND_USERS.filter((user) => user.role === 'moderator'))
      room.upsert({
        id: newMessageId(),
        channelId,
        visibleTo: moderator.id,
        body: { type: 'notice', tone: 'info', lines: [auditLine(event, locale)] },
      });
    return Promise.resolve();
  };
}
