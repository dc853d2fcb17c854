import type { types } from '@slack/bolt';
import type { ServerPoolView, SettingsView } from '../../../conversation/index.js';
import type { SettingsChange } from '../../../conversation/interaction.js';
import { translate, translator, type Locale } from '../../../i18n/index.js';
import type { SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, plain, slackDate, userText } from './text.js';

type Block = types.KnownBlock;

/** "500 credits": the number as typed, the word in the reader's language. */
function credits(count: number, locale: Locale): string {
  return translate(locale, 'slack.admin.credits', { count, n: String(count) });
}

/** Slack refuses section text over 3,000 characters and messages over 50 blocks. */
const SECTION_MAX = 3_000;
const MESSAGE_BLOCKS_MAX = 50;

/** "*12 of 50* credits left today in this workspace · resets …", one line per pool. */
export function poolLines(pools: readonly ServerPoolView[], locale: Locale = 'en'): string[] {
  return pools.map((pool) =>
    translate(locale, pool.period === 'day' ? 'slack.pool.day' : 'slack.pool.month', {
      // As strings: a large pool reads as typed (10000), as it always has.
      remaining: String(pool.remaining),
      limit: String(pool.limit),
      when: slackDate(pool.resetsAt, locale),
    }),
  );
}

function budgetLine(view: SettingsView, period: 'daily' | 'monthly', locale: Locale): string {
  const t = translator(locale);
  const label = t(period === 'daily' ? 'slack.admin.budget.daily' : 'slack.admin.budget.monthly');
  const value = view.budget[period];
  if (value === undefined) return t('slack.admin.budget.noCap', { label });
  const line =
    view.budgetSource[period] === 'operator'
      ? 'slack.admin.budget.lineDefault'
      : 'slack.admin.budget.line';
  return t(line, { label, credits: credits(value, locale) });
}

function usedLine(pool: ServerPoolView, locale: Locale): string {
  return translate(
    locale,
    pool.period === 'day' ? 'slack.admin.used.day' : 'slack.admin.used.month',
    {
      // As strings: the numbers read as typed, as they always have.
      used: String(pool.used),
      limit: String(pool.limit),
      remaining: String(pool.remaining),
      when: slackDate(pool.resetsAt, locale),
    },
  );
}

function mentions(ids: readonly string[], locale: Locale): string {
  return ids.map((id) => `<#${id}>`).join(translate(locale, 'list.separator'));
}

export function channelRuleText(view: SettingsView, locale: Locale = 'en'): string {
  const t = translator(locale);
  const { mode, ids } = view.settings.channels;
  if (mode === 'all' || ids.length === 0)
    return t(mode === 'allow' ? 'slack.admin.channels.none' : 'slack.admin.channels.all');
  const channels = mentions(ids, locale);
  return t(mode === 'allow' ? 'slack.admin.channels.only' : 'slack.admin.channels.except', {
    channels,
  });
}

/** The budgets, where generation works and who sees the audit, as mrkdwn lines. */
export function settingsLines(view: SettingsView, locale: Locale = 'en'): string[] {
  const t = translator(locale);
  const { settings } = view;
  return [
    budgetLine(view, 'daily', locale),
    budgetLine(view, 'monthly', locale),
    ...view.pools.map((pool) => usedLine(pool, locale)),
    t('slack.admin.worksIn', { rule: channelRuleText(view, locale) }),
    t(settings.dms ? 'slack.admin.dms.allowed' : 'slack.admin.dms.off'),
    settings.auditChannel
      ? t('slack.admin.auditChannel', { channel: `<#${settings.auditChannel}>` })
      : t('slack.admin.auditNone'),
  ];
}

/**
 * A blocklist entry as inline code. A backtick would end the code span, so it is shown as the
 * look-alike ˋ; everything else as typed (escaped, invisible characters removed).
 */
function codeEntry(entry: string): string {
  return `\`${escapeMrkdwn(entry).replace(/`/g, 'ˋ')}\``;
}

/** The entries as sections of at most 3,000 characters, at most `maxBlocks` of them. */
export function blocklistBlocks(
  entries: readonly string[],
  maxBlocks: number,
  locale: Locale = 'en',
): Block[] {
  const blocks: Block[] = [];
  let line = '';
  let shown = 0;
  for (const entry of entries) {
    const code = codeEntry(entry);
    const next = line === '' ? code : `${line} · ${code}`;
    if (next.length <= SECTION_MAX - 40) {
      line = next;
      shown++;
      continue;
    }
    if (blocks.length + 1 >= maxBlocks) break;
    blocks.push({ type: 'section', text: userText(line) });
    line = code;
    shown++;
  }
  const hidden = entries.length - shown;
  if (line !== '')
    blocks.push({
      type: 'section',
      text: userText(
        hidden > 0
          ? `${line} · ${translate(locale, 'slack.admin.blocklist.more', { count: hidden })}`
          : line,
      ),
    });
  return blocks;
}

function blocklistHeading(view: SettingsView, locale: Locale): string {
  const t = translator(locale);
  const own = view.settings.blocklist.length;
  const shared = String(view.sharedBlocklistSize);
  // `n`: the count as typed; `count` picks the plural form.
  const counted = { count: own, n: String(own) };
  if (view.sharedBlocklistSize === 0)
    return own === 0 ? t('slack.admin.blocked.none') : t('slack.admin.blocked.own', counted);
  return own === 0
    ? t('slack.admin.blocked.sharedOnly', { shared })
    : t('slack.admin.blocked.ownAndShared', { ...counted, shared });
}

/** What an admin just changed, in a few words. */
export function changeText(change: SettingsChange, locale: Locale = 'en'): string {
  const t = translator(locale);
  if ('budget' in change) {
    return (['daily', 'monthly'] as const)
      .flatMap((period) => {
        const value = change.budget[period];
        if (value === undefined) return [];
        if (value === null) return [t(`slack.admin.changed.budgetDefault.${period}`)];
        return [t(`slack.admin.changed.budget.${period}`, { credits: credits(value, locale) })];
      })
      .join(t('list.separator'));
  }
  if ('channels' in change) return t('slack.admin.changed.channels');
  if ('dms' in change)
    return t(change.dms ? 'slack.admin.changed.dmsAllowed' : 'slack.admin.changed.dmsOff');
  if ('blocklist' in change) return t('slack.admin.changed.blocklist');
  if ('auditChannel' in change)
    return change.auditChannel === null
      ? t('slack.admin.changed.auditOff')
      : t('slack.admin.changed.auditOn', { channel: `<#${change.auditChannel}>` });
  return t('slack.admin.changed.settings');
}

/** `/imagine admin settings` and every change's answer: the workspace's settings as they stand. */
export function settingsMessage(view: SettingsView, locale: Locale = 'en'): SlackMessage {
  const t = translator(locale);
  const title = t('slack.admin.settings.title');
  const head: Block[] = [{ type: 'header', text: plain(title) }];
  const changes = view.changed ? changeText(view.changed, locale) : undefined;
  if (changes !== undefined)
    head.push({ type: 'section', text: mrkdwn(t('slack.admin.saved', { changes })) });
  head.push(
    { type: 'section', text: mrkdwn(settingsLines(view, locale).join('\n')) },
    { type: 'section', text: mrkdwn(blocklistHeading(view, locale)) },
  );
  // Escaped: Slack reads `<entry>` as a link even inside code.
  const howTo = escapeMrkdwn(t('slack.admin.howToChange'));
  const tail: Block[] = [{ type: 'context', elements: [mrkdwn(howTo)] }];
  const room = MESSAGE_BLOCKS_MAX - head.length - tail.length;
  const blocks = [...head, ...blocklistBlocks(view.settings.blocklist, room, locale), ...tail];
  const text = changes !== undefined ? t('slack.admin.savedText', { changes }) : title;
  return { text, blocks };
}
