import { UserError } from './errors.js';
import type { PoolCharge } from './types.js';

/** What /quota shows of one pool beside the user's own credits. */
export interface PoolStatus {
  pool: string;
  period: PoolCharge['period'];
  limit: number;
  used: number;
  remaining: number;
  resetsAt: Date;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The period a time falls in, on the UTC calendar: `2026-12-03` for a day, `2026-12` for a month. */
export function periodKey(period: PoolCharge['period'], time: number): string {
  const iso = new Date(time).toISOString();
  return period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/** When the period that `time` falls in ends: the next UTC midnight, or the first of next month. */
export function periodEnd(period: PoolCharge['period'], time: number): Date {
  const date = new Date(time);
  return period === 'day'
    ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1))
    : new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** "in 3 h 20 min (00:00 UTC)": relative for the reader, absolute for anyone comparing notes. */
export function describeReset(resetsAt: Date, now: number): string {
  const minutes = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 60_000));
  const relative =
    minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `in ${relative} (00:00 UTC)`;
}

/** A month's end is days away: "in 12 days 4 h (00:00 UTC on 1 January)". */
export function describeMonthReset(resetsAt: Date, now: number): string {
  const hours = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 3_600_000));
  if (hours < 24) return describeReset(resetsAt, now);
  const days = Math.floor(hours / 24);
  const relative = `${days} day${days === 1 ? '' : 's'}${hours % 24 ? ` ${hours % 24} h` : ''}`;
  return `in ${relative} (00:00 UTC on ${resetsAt.getUTCDate()} ${MONTHS[resetsAt.getUTCMonth()]})`;
}

/** Where a pool's record for one period kind lives in the quota namespace (no user key starts so). */
export function poolRecordKey(charge: Pick<PoolCharge, 'pool' | 'period'>): string {
  return `pool:${charge.pool}:${charge.period}`;
}

/** The conversation's charges are code, not input: a malformed one is a bug, refused loudly. */
export function checkPoolCharges(pools: readonly PoolCharge[]): void {
  const seen = new Set<string>();
  for (const charge of pools) {
    if (!charge.pool) throw new RangeError('a pool charge needs a pool name');
    if (charge.period !== 'day' && charge.period !== 'month')
      throw new RangeError(
        `pool "${charge.pool}" has an unknown period "${String(charge.period)}"`,
      );
    if (!Number.isInteger(charge.limit) || charge.limit < 0)
      throw new RangeError(`pool "${charge.pool}" needs a whole limit >= 0`);
    const key = poolRecordKey(charge);
    if (seen.has(key))
      throw new RangeError(`pool "${charge.pool}" is charged twice per ${charge.period}`);
    seen.add(key);
  }
}

/** The refusal a pool with `remaining` credits gives a generation of `cost`, if it does. */
export function poolRefusal(
  charge: PoolCharge,
  remaining: number,
  cost: number,
  now: number,
): UserError | undefined {
  if (cost <= remaining) return undefined;
  const resetsAt = periodEnd(charge.period, now);
  return charge.period === 'day'
    ? new UserError('server_daily_exhausted', {
        remaining,
        cost,
        resetsAt: describeReset(resetsAt, now),
      })
    : new UserError('server_monthly_exhausted', {
        remaining,
        cost,
        resetsAt: describeMonthReset(resetsAt, now),
      });
}

/** A server's own budget where its admins set one, else the operator's; undefined: no cap. */
export interface ServerBudget {
  daily?: number | undefined;
  monthly?: number | undefined;
}

/**
 * The pools one Discord server or Slack workspace (`discord:G1`, `slack:T1`) charges a generation
 * to: `own` (its settings) over `defaults` (SERVER_DAILY_CREDITS, SERVER_MONTHLY_CREDITS). A
 * period with no cap is not charged at all, so with neither set nothing changes.
 */
export function serverPoolCharges(
  server: string,
  own: ServerBudget,
  defaults: ServerBudget,
): PoolCharge[] {
  const pool = `server:${server}`;
  const daily = own.daily ?? defaults.daily;
  const monthly = own.monthly ?? defaults.monthly;
  return [
    ...(daily === undefined ? [] : [{ pool, period: 'day' as const, limit: daily }]),
    ...(monthly === undefined ? [] : [{ pool, period: 'month' as const, limit: monthly }]),
  ];
}
