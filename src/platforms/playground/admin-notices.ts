import type {
  ExportView,
  ServerPoolView,
  SettingsView,
  UsageReportView,
} from '../../conversation/index.js';
import type { SettingsChange } from '../../conversation/interaction.js';
import type { AttachedFile } from '../../conversation/views.js';
import { findChannel } from './people.js';
import type { Notice } from './room.js';

/** Keeps an attached file for the page and answers the link to it. */
export type KeepFile = (file: AttachedFile) => string;

const info = (lines: string[], extra: Partial<Notice> = {}): Notice => ({
  type: 'notice',
  tone: 'info',
  lines,
  ...extra,
});

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** A channel as people in the playground name it. */
export const channelShown = (id: string) =>
  id === '' ? 'direct messages' : `#${findChannel(id)?.name ?? id}`;

const PERIOD_WORDS = { day: ['today', 'daily'], month: ['this month', 'monthly'] } as const;

/** "The server shares 40 of 50 credits left today; they reset in 3 h (00:00 UTC)." */
export function poolLine(pool: ServerPoolView): string {
  return `This server shares ${pool.remaining} of ${pool.limit} credits left ${PERIOD_WORDS[pool.period][0]} (its ${PERIOD_WORDS[pool.period][1]} budget); they reset ${pool.resetsIn}.`;
}

function budgetLine(view: SettingsView, period: 'day' | 'month'): string {
  const key = period === 'day' ? 'daily' : 'monthly';
  const limit = view.budget[key];
  const name = `${key[0]!.toUpperCase()}${key.slice(1)} budget`;
  if (limit === undefined) return `${name}: no cap.`;
  const source =
    view.budgetSource[key] === 'server'
      ? 'set here'
      : `the operator's default, SERVER_${key.toUpperCase()}_CREDITS`;
  const pool = view.pools.find((candidate) => candidate.period === period);
  const use = pool ? `; ${pool.used} used, ${pool.remaining} left, resets ${pool.resetsIn}` : '';
  return `${name}: ${plural(limit, 'credit')} (${source})${use}.`;
}

function channelsLine(view: SettingsView): string {
  const { mode, ids } = view.settings.channels;
  const names = ids.map(channelShown).join(', ');
  if (mode === 'allow')
    return ids.length > 0 ? `Channels: only ${names}.` : 'Channels: none (generation is off).';
  if (mode === 'deny' && ids.length > 0) return `Channels: all but ${names}.`;
  return 'Channels: all.';
}

function blocklistLine(view: SettingsView): string {
  const own = view.settings.blocklist;
  const shared = view.sharedBlocklistSize;
  const entries =
    own.length > 0
      ? `${plural(own.length, 'entry', 'entries')}: ${own.map((entry) => `\`${entry}\``).join(', ')}`
      : 'empty';
  const fromFile =
    shared > 0
      ? `, plus ${plural(shared, 'entry', 'entries')} shared by every server (the operator's file)`
      : '';
  return `Blocklist: ${entries}${fromFile}.`;
}

/** What an admin just changed, in a few words, so the card says it was saved. */
function changeLine(change: SettingsChange): string {
  if ('budget' in change) {
    const [[period, value]] = Object.entries(change.budget) as [[string, number | null]];
    return value === null
      ? `Saved: the ${period} budget is back to the operator's default.`
      : `Saved: the ${period} budget is ${plural(value, 'credit')}.`;
  }
  if ('channels' in change) return 'Saved: where images can be made.';
  if ('dms' in change)
    return `Saved: direct messages ${change.dms ? 'may' : 'may not'} make images.`;
  if ('blocklist' in change) {
    const added = change.blocklist.add ?? [];
    return added.length > 0
      ? `Saved: prompts matching ${added.map((e) => `\`${e}\``).join(', ')} are blocked.`
      : `Saved: ${(change.blocklist.remove ?? []).map((e) => `\`${e}\``).join(', ')} no longer blocks prompts.`;
  }
  if ('auditChannel' in change)
    return change.auditChannel === null
      ? 'Saved: generations are no longer posted to an audit channel.'
      : `Saved: each generation is posted as one line in ${channelShown(change.auditChannel)}.`;
  return 'Saved.';
}

/** The server's settings as the moderator sees them (the playground has no DMs and no roles). */
export function settingsNotice(view: SettingsView): Notice {
  const audit = view.settings.auditChannel;
  return info([
    view.changed ? changeLine(view.changed) : 'Settings of this playground server:',
    budgetLine(view, 'day'),
    budgetLine(view, 'month'),
    channelsLine(view),
    blocklistLine(view),
    `Audit channel: ${audit ? channelShown(audit) : 'none'}.`,
    'Change one with e.g. `/imagine admin budget daily 50`; a mistyped admin command lists them all.',
  ]);
}

function percent(rate: number | null): string {
  return rate === null ? 'none finished' : `${Math.round(rate * 1000) / 10}% failed`;
}

function periodLine(label: string, period: UsageReportView['report']['today']): string {
  return `${label}: ${plural(period.credits, 'credit')}, ${plural(period.generations, 'generation')} (${period.succeeded} succeeded, ${period.failed} failed, ${period.refused} refused; ${percent(period.failureRate)}).`;
}

/** The usage report: the figures, then the chart as a picture whose text says what it shows. */
export function usageNotice(view: UsageReportView, keep: KeepFile): Notice {
  const { report } = view;
  const last30 = report.last30Days;
  const top = (rows: typeof last30.byUser, name: (key: string, shown: string) => string) =>
    rows
      .slice(0, 5)
      .map((row) => `${name(row.key, row.name)} ${plural(row.credits, 'credit')}`)
      .join(', ') || 'nobody yet';
  return info(
    [
      'Usage of this playground server:',
      periodLine('Today', report.today),
      periodLine('This month', report.month),
      periodLine('Last 30 days', last30),
      `Top people, last 30 days: ${top(last30.byUser, (_key, shown) => shown)}.`,
      `By channel, last 30 days: ${top(last30.byChannel, (key) => channelShown(key))}.`,
      `Generating now: ${view.generatingNow}.`,
    ],
    {
      image: {
        url: keep(view.chart),
        alt: `Chart of credits spent per day over the last 30 days (${plural(last30.credits, 'credit')} in all) and by the top people.`,
      },
    },
  );
}

/** The audit export: how many records, and the file to save. */
export function exportNotice(view: ExportView, keep: KeepFile): Notice {
  return info(
    [
      view.records > 0
        ? `The audit trail of this server: ${plural(view.records, 'record')}, one line each (when, who, where, prompt, cost, outcome).`
        : 'Nothing is recorded for this server yet; the file holds only the column names.',
    ],
    {
      download: { url: keep(view.file), name: view.file.name, label: `Download ${view.file.name}` },
    },
  );
}
