import type { types } from '@slack/bolt';
import type { ServerPoolView, SettingsView } from '../../../conversation/index.js';
import type { SettingsChange } from '../../../conversation/interaction.js';
import { translate, type Locale } from '../../../i18n/index.js';
import type { SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, plain, slackDate, userText } from './text.js';

type Block = types.KnownBlock;

function credits(count: number): string {
  return `${count} credit${count === 1 ? '' : 's'}`;
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

function budgetLine(view: SettingsView, period: 'daily' | 'monthly'): string {
  const label = period === 'daily' ? 'Daily budget' : 'Monthly budget';
  const value = view.budget[period];
  const source = view.budgetSource[period];
  if (value === undefined) return `${label}: no cap`;
  return `${label}: ${credits(value)}${source === 'operator' ? ' (operator default)' : ''}`;
}

function usedLine(pool: ServerPoolView): string {
  const when = pool.period === 'day' ? 'today' : 'this month';
  return `Used ${when}: ${pool.used} of ${pool.limit} (${pool.remaining} left), resets ${slackDate(pool.resetsAt)}`;
}

function mentions(ids: readonly string[]): string {
  return ids.map((id) => `<#${id}>`).join(', ');
}

export function channelRuleText(view: SettingsView): string {
  const { mode, ids } = view.settings.channels;
  if (mode === 'all') return 'every channel';
  if (mode === 'allow') return ids.length > 0 ? `only ${mentions(ids)}` : 'no channel';
  return ids.length > 0 ? `every channel except ${mentions(ids)}` : 'every channel';
}

/** The budgets, where generation works and who sees the audit, as mrkdwn lines. */
export function settingsLines(view: SettingsView): string[] {
  const { settings } = view;
  return [
    budgetLine(view, 'daily'),
    budgetLine(view, 'monthly'),
    ...view.pools.map(usedLine),
    `Generation works in: ${channelRuleText(view)}`,
    `Direct messages with me: ${settings.dms ? 'allowed' : 'off'}`,
    `Audit channel: ${settings.auditChannel ? `<#${settings.auditChannel}>` : 'none'}`,
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
export function blocklistBlocks(entries: readonly string[], maxBlocks: number): Block[] {
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
      text: userText(hidden > 0 ? `${line} · …and ${hidden} more` : line),
    });
  return blocks;
}

function blocklistHeading(view: SettingsView): string {
  const own = view.settings.blocklist.length;
  const shared =
    view.sharedBlocklistSize > 0
      ? `, plus ${view.sharedBlocklistSize} from the operator's shared file (not listed here)`
      : '';
  if (own === 0 && shared === '') return '*Blocked prompts:* none';
  return `*Blocked prompts:* ${own === 0 ? 'none of its own' : `${own} entr${own === 1 ? 'y' : 'ies'}`}${shared}`;
}

/** What an admin just changed, in a few words. */
export function changeText(change: SettingsChange): string {
  if ('budget' in change) {
    return (['daily', 'monthly'] as const)
      .flatMap((period) => {
        const value = change.budget[period];
        if (value === undefined) return [];
        return [
          `${period} budget ${value === null ? 'back to the operator default' : `set to ${credits(value)}`}`,
        ];
      })
      .join(', ');
  }
  if ('channels' in change) return 'channels changed';
  if ('dms' in change) return `direct messages ${change.dms ? 'allowed' : 'turned off'}`;
  if ('blocklist' in change) return 'blocklist changed';
  if ('auditChannel' in change)
    return change.auditChannel === null
      ? 'audit channel turned off'
      : `audit channel set to <#${change.auditChannel}>`;
  return 'settings changed';
}

/** Escaped: Slack reads `<entry>` as a link even inside code. */
const HOW_TO_CHANGE = escapeMrkdwn(
  'Change with `/imagine admin budget daily 500` (or `default`), `channels allow #a #b` / `deny #c` / `all`, `dms on|off`, `blocklist add|remove <entry>` (`re:` for a regular expression), `audit-channel #c|off`, or *Edit settings* in my App Home.',
);

/** `/imagine admin settings` and every change's answer: the workspace's settings as they stand. */
export function settingsMessage(view: SettingsView): SlackMessage {
  const head: Block[] = [{ type: 'header', text: plain('Workspace settings') }];
  if (view.changed)
    head.push({
      type: 'section',
      text: mrkdwn(`:white_check_mark: Saved: ${changeText(view.changed)}.`),
    });
  head.push(
    { type: 'section', text: mrkdwn(settingsLines(view).join('\n')) },
    { type: 'section', text: mrkdwn(blocklistHeading(view)) },
  );
  const tail: Block[] = [{ type: 'context', elements: [mrkdwn(HOW_TO_CHANGE)] }];
  const room = MESSAGE_BLOCKS_MAX - head.length - tail.length;
  const blocks = [...head, ...blocklistBlocks(view.settings.blocklist, room), ...tail];
  const text = view.changed
    ? `Workspace settings saved: ${changeText(view.changed)}.`
    : 'Workspace settings';
  return { text, blocks };
}
