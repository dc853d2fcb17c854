import type { AuditEvent } from './events.js';

const DAY_MS = 86_400_000;
/** The chart and the "last 30 days" figures cover this many UTC days, today included. */
export const USAGE_DAYS = 30;

/** One user's or one channel's share of a period. */
export interface UsageRow {
  /** The user key, or the channel id ('' for direct messages). */
  key: string;
  /** The user's latest display name; for channels, the channel id. */
  name: string;
  /** Credits spent: the cost of generations that succeeded (failed ones are refunded). */
  credits: number;
  /** Generations let through (accepted). */
  generations: number;
  failed: number;
}

export interface PeriodUsage {
  /** `from <= at < to`, ms since the epoch. */
  from: number;
  to: number;
  credits: number;
  generations: number;
  succeeded: number;
  failed: number;
  refused: number;
  /** failed / (succeeded + failed); null when nothing finished. */
  failureRate: number | null;
  /** Most credits first (then most generations, then by name). */
  byUser: UsageRow[];
  byChannel: UsageRow[];
}

export interface DailyCredits {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  credits: number;
}

export interface UsageReport {
  at: number;
  /** Since UTC midnight. */
  today: PeriodUsage;
  /** Since the first of this month, UTC. */
  month: PeriodUsage;
  /** The last 30 UTC days, today included. */
  last30Days: PeriodUsage;
  /** Credits spent per UTC day over the last 30 days, oldest first (30 entries). */
  daily: DailyCredits[];
}

/** The earliest event time a report at `now` reads: enough for this month and the last 30 days. */
export function usageWindowStart(now: number): number {
  return Math.min(startOfMonth(now), startOfDay(now) - (USAGE_DAYS - 1) * DAY_MS);
}

/** Sums a workspace's audit events into the usage an admin sees at `now`. */
export function summariseUsage(recorded: readonly AuditEvent[], now: number): UsageReport {
  const events = lastOutcomes(recorded);
  const today = startOfDay(now);
  const firstDay = today - (USAGE_DAYS - 1) * DAY_MS;
  const daily: DailyCredits[] = [];
  for (let day = 0; day < USAGE_DAYS; day++) {
    daily.push({ day: isoDay(firstDay + day * DAY_MS), credits: 0 });
  }
  for (const event of events) {
    if (event.outcome !== 'succeeded' || event.at < firstDay || event.at >= today + DAY_MS)
      continue;
    daily[Math.floor((event.at - firstDay) / DAY_MS)]!.credits += event.cost;
  }
  const end = today + DAY_MS;
  return {
    at: now,
    today: summarisePeriod(events, today, end),
    month: summarisePeriod(events, startOfMonth(now), end),
    last30Days: summarisePeriod(events, firstDay, end),
    daily,
  };
}

/**
 * The events a report counts: of one request's finished events, only the last. A success whose
 * image then could not be shown ends as failed with its credits returned, so it spent nothing;
 * at the same instant `failed` is taken as the later, as nothing turns a failure into a success.
 */
function lastOutcomes(events: readonly AuditEvent[]): readonly AuditEvent[] {
  const last = new Map<string, AuditEvent>();
  for (const event of events) {
    if (!isFinished(event)) continue;
    const before = last.get(event.requestId);
    if (!before || event.at > before.at || (event.at === before.at && event.outcome === 'failed'))
      last.set(event.requestId, event);
  }
  return events.filter((event) => !isFinished(event) || last.get(event.requestId) === event);
}

function isFinished(event: AuditEvent): boolean {
  return event.outcome === 'succeeded' || event.outcome === 'failed';
}

function summarisePeriod(events: readonly AuditEvent[], from: number, to: number): PeriodUsage {
  const period: PeriodUsage = {
    from,
    to,
    credits: 0,
    generations: 0,
    succeeded: 0,
    failed: 0,
    refused: 0,
    failureRate: null,
    byUser: [],
    byChannel: [],
  };
  const users = new Map<string, UsageRow>();
  const channels = new Map<string, UsageRow>();
  for (const event of events) {
    if (event.at < from || event.at >= to) continue;
    const user = rowOf(users, event.userKey, event.userName);
    // Events come oldest first, so the name kept is the user's latest.
    user.name = event.userName;
    const channelId = event.channelId ?? '';
    const channel = rowOf(channels, channelId, channelId);
    if (event.outcome === 'refused') period.refused++;
    else if (event.outcome === 'accepted') {
      period.generations++;
      user.generations++;
      channel.generations++;
    } else if (event.outcome === 'succeeded') {
      period.succeeded++;
      period.credits += event.cost;
      user.credits += event.cost;
      channel.credits += event.cost;
    } else {
      period.failed++;
      user.failed++;
      channel.failed++;
    }
  }
  const finished = period.succeeded + period.failed;
  period.failureRate = finished === 0 ? null : period.failed / finished;
  period.byUser = ranked(users);
  period.byChannel = ranked(channels);
  return period;
}

function rowOf(rows: Map<string, UsageRow>, key: string, name: string): UsageRow {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = { key, name, credits: 0, generations: 0, failed: 0 }));
  return row;
}

/** Rows that did anything, most credits first; someone only refused is not "usage". */
function ranked(rows: Map<string, UsageRow>): UsageRow[] {
  return [...rows.values()]
    .filter((row) => row.generations > 0 || row.credits > 0 || row.failed > 0)
    .sort(
      (a, b) =>
        b.credits - a.credits ||
        b.generations - a.generations ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

function startOfDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

function startOfMonth(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
