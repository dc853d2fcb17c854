import type { PlatformWording } from '../../conversation/index.js';
import { renderMessage } from '../../core/messages.js';
import { describeMonthReset, describeReset } from '../../core/reset-time.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';

interface PoolRefusal {
  remaining: number;
  cost: number;
  /** The English phrase the refusal carries; the times below say it again in other languages. */
  resetsAt: string;
  resetsAtTime?: number;
  refusedAt?: number;
}

/** When the workspace's credits come back, in the reader's language. */
function resetPhrase(p: PoolRefusal, locale: Locale, period: 'day' | 'month'): string {
  if (locale === 'en' || p.resetsAtTime === undefined || p.refusedAt === undefined)
    return p.resetsAt;
  const describe = period === 'day' ? describeReset : describeMonthReset;
  return describe(new Date(p.resetsAtTime), p.refusedAt, locale);
}

/** A workspace's shared credits ran out: what is left, when they come back, and who can help. */
const POOL_KEYS = {
  day: {
    plain: 'slack.error.server_daily_exhausted',
    cheaper: 'slack.error.server_daily_exhausted_cheaper',
  },
  month: {
    plain: 'slack.error.server_monthly_exhausted',
    cheaper: 'slack.error.server_monthly_exhausted_cheaper',
  },
} as const;

function workspaceCredits(period: 'day' | 'month') {
  const keys = POOL_KEYS[period];
  return (p: PoolRefusal, locale: Locale = 'en'): string =>
    translate(locale, p.remaining > 0 ? keys.cheaper : keys.plain, {
      count: p.cost,
      // As a string: a large pool reads as typed (10000), as it always has.
      remaining: String(p.remaining),
      resetsAt: resetPhrase(p, locale, period),
    });
}

/** "<#C1>", "<#C1> or <#C2>", "<#C1>, <#C2> or <#C3>": Slack shows each as the channel's name. */
function channelList(ids: readonly string[], locale: Locale): string {
  const mentions = ids.map((id) => `<#${id}>`);
  if (mentions.length <= 1) return mentions.join('');
  return translate(locale, 'slack.list.or', {
    rest: mentions.slice(0, -1).join(translate(locale, 'list.separator')),
    last: mentions.at(-1)!,
  });
}

/** A sentence of Slack's block with nothing to fill in. */
function fixed(key: MessageKey) {
  return (_params?: unknown, locale: Locale = 'en'): string => translate(locale, key);
}

/** A source image that could not be read; `why` in the catalogue's words. */
interface SourceUnreachable {
  name: string;
  reason: string;
  why?: { key: MessageKey; params?: Record<string, string | number> };
}

/**
 * Slack's own words for some of the conversation's refusals: it has workspaces and workspace
 * admins, not servers and moderators. Each in the reader's language (`slack.error.<code>`).
 */
export const slackWording: PlatformWording = {
  not_allowed_to_delete: fixed('slack.error.not_allowed_to_delete'),
  admin_usage: fixed('slack.error.admin_usage'),
  admin_only: fixed('slack.error.admin_only'),
  share_not_allowed: fixed('slack.error.share_not_allowed'),
  channel_not_allowed: (p: { channelIds: readonly string[] }, locale: Locale = 'en') =>
    p.channelIds.length > 0
      ? translate(locale, 'slack.error.channel_not_allowed', {
          channels: channelList(p.channelIds, locale),
        })
      : translate(locale, 'slack.error.channel_not_allowed_none'),
  no_channel_allowed: fixed('slack.error.no_channel_allowed'),
  dms_not_allowed: fixed('slack.error.dms_not_allowed'),
  prompt_blocked: fixed('slack.error.prompt_blocked'),
  // A Slack file is not a link anyone can open: the advice is about the file. Links keep the
  // conversation's sentence.
  source_unreachable: (p: SourceUnreachable, locale: Locale = 'en') =>
    p.why?.key.startsWith('slack.file.reason.')
      ? translate(locale, 'slack.error.file_unreachable', {
          name: p.name,
          reason: translate(locale, p.why.key, p.why.params),
        })
      : renderMessage('source_unreachable', p, locale),
  server_daily_exhausted: workspaceCredits('day'),
  server_monthly_exhausted: workspaceCredits('month'),
};

/**
 * Codes whose Slack wording carries channel mentions (`<#C1>`) and nothing a person typed, so it
 * is shown as mrkdwn rather than escaped like other notices.
 */
export const MRKDWN_WORDING: ReadonlySet<string> = new Set(['channel_not_allowed']);
