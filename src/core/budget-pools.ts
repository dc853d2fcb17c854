import { UserError } from './errors.js';
import { describeMonthReset, describeReset } from './reset-time.js';
import type { PoolCharge } from './types.js';

export { describeMonthReset, describeReset } from './reset-time.js';

/** What /quota shows of one pool beside the user's own credits. */
export interface PoolStatus {
  pool: string;
  period: PoolCharge['period'];
  limit: number;
  used: number;
  remaining: number;
  resetsAt: Date;
}

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
  // The time itself travels too, so the refusal can be said again in the reader's language.
  const when = { resetsAtTime: resetsAt.getTime(), refusedAt: now };
  return charge.period === 'day'
    ? new UserError('server_daily_exhausted', {
        remaining,
        cost,
        resetsAt: describeReset(resetsAt, now),
        ...when,
      })
    : new UserError('server_monthly_exhausted', {
        remaining,
        cost,
        resetsAt: describeMonthReset(resetsAt, now),
        ...when,
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
