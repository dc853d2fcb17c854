import type { KeyValues } from './store.js';
import { UserError } from './errors.js';
import { KeyedMutex, type LockProvider } from './mutex.js';
import type { Resolution } from './options.js';

/** Credits held for a job in flight; they count as spent until the job ends. */
interface Hold {
  cost: number;
  day: string;
}

interface QuotaRecord {
  day: string;
  spent: number;
  holds: Record<string, Hold>;
  /** Set by an admin; replaces the default daily credits for this user. */
  dailyCredits?: number;
}

export interface QuotaSettings {
  dailyCredits: number;
  costs: Record<Resolution, number>;
  maxActivePerUser: number;
}

export interface QuotaStatus {
  dailyCredits: number;
  used: number;
  remaining: number;
  resetsAt: Date;
  activeJobIds: string[];
}

export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function nextUtcMidnight(time: number): Date {
  const date = new Date(time);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}

/** "in 3 h 20 min (00:00 UTC)": relative for the reader, absolute for anyone comparing notes. */
export function describeReset(resetsAt: Date, now: number): string {
  const minutes = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 60_000));
  const relative =
    minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `in ${relative} (00:00 UTC)`;
}

/** The arithmetic of one user's day, pure so every edge can be tested without a store. */
export function usedToday(record: QuotaRecord): number {
  return (
    record.spent +
    Object.values(record.holds).reduce(
      (sum, hold) => sum + (hold.day === record.day ? hold.cost : 0),
      0,
    )
  );
}

function rollOver(record: QuotaRecord | undefined, today: string): QuotaRecord {
  if (!record) return { day: today, spent: 0, holds: {} };
  if (record.day === today) return record;
  return { ...record, day: today, spent: 0 };
}

export class QuotaService {
  constructor(
    private readonly records: KeyValues<QuotaRecord>,
    private readonly settings: QuotaSettings,
    private readonly now: () => number = Date.now,
    /** Shared across replicas when the store is; in-process otherwise. */
    private readonly lock: LockProvider = new KeyedMutex(),
  ) {}

  costOf(resolution: Resolution): number {
    return this.settings.costs[resolution];
  }

  /**
   * Holds the job's cost against the user's day, or refuses with the reason. Reserving before the
   * API call is what keeps concurrent requests from overshooting the quota.
   */
  async reserve(userKey: string, jobId: string, cost: number): Promise<void> {
    await this.update(userKey, (record) => {
      if (record.holds[jobId]) return record;
      const refusal = this.refusalFor(record, cost);
      if (refusal) throw refusal;
      return { ...record, holds: { ...record.holds, [jobId]: { cost, day: record.day } } };
    });
  }

  /**
   * Throws the refusal a reservation of this cost would meet now, without holding anything: lets
   * an adapter answer before it shows a status message. Only `reserve` is authoritative.
   */
  async check(userKey: string, cost: number): Promise<void> {
    const record = rollOver(await this.records.get(userKey), utcDay(this.now()));
    const refusal = this.refusalFor(record, cost);
    if (refusal) throw refusal;
  }

  private refusalFor(record: QuotaRecord, cost: number): UserError | undefined {
    if (Object.keys(record.holds).length >= this.settings.maxActivePerUser) {
      return new UserError('too_many_active', { max: this.settings.maxActivePerUser });
    }
    const limit = record.dailyCredits ?? this.settings.dailyCredits;
    const remaining = Math.max(0, limit - usedToday(record));
    if (cost <= remaining) return undefined;
    const now = this.now();
    return new UserError('quota_exhausted', {
      remaining,
      cost,
      resetsAt: describeReset(nextUtcMidnight(now), now),
      // Suggest a lower resolution only when one exists that the remaining credits would pay for.
      cheaperFits: Object.values(this.settings.costs).some(
        (price) => price < cost && price <= remaining,
      ),
    });
  }

  /** The job produced an image: its held credits become spent. Safe to repeat. */
  async commit(userKey: string, jobId: string): Promise<void> {
    await this.update(userKey, (record) => {
      const hold = record.holds[jobId];
      if (!hold) return record;
      const { [jobId]: _released, ...holds } = record.holds;
      // Credits held yesterday were yesterday's; today's allowance is not charged for them.
      return { ...record, holds, spent: record.spent + (hold.day === record.day ? hold.cost : 0) };
    });
  }

  /** The job failed or was refused: its held credits return to the user. Safe to repeat. */
  async refund(userKey: string, jobId: string): Promise<void> {
    await this.update(userKey, (record) => {
      if (!record.holds[jobId]) return record;
      const { [jobId]: _released, ...holds } = record.holds;
      return { ...record, holds };
    });
  }

  /**
   * A committed job showed nothing after all (its image could not be fetched): its credits return
   * to the user. Only today's spending can be returned; `reservedAt` says which day paid for it.
   */
  async returnSpent(userKey: string, cost: number, reservedAt: number): Promise<void> {
    await this.update(userKey, (record) =>
      record.day === utcDay(reservedAt)
        ? { ...record, spent: Math.max(0, record.spent - cost) }
        : record,
    );
  }

  async setDailyCredits(userKey: string, dailyCredits: number): Promise<void> {
    if (!Number.isInteger(dailyCredits) || dailyCredits < 0)
      throw new RangeError('daily credits must be a whole number >= 0');
    await this.update(userKey, (record) => ({ ...record, dailyCredits }));
  }

  async status(userKey: string): Promise<QuotaStatus> {
    const now = this.now();
    const record = rollOver(await this.records.get(userKey), utcDay(now));
    const dailyCredits = record.dailyCredits ?? this.settings.dailyCredits;
    const used = usedToday(record);
    return {
      dailyCredits,
      used,
      remaining: Math.max(0, dailyCredits - used),
      resetsAt: nextUtcMidnight(now),
      activeJobIds: Object.keys(record.holds),
    };
  }

  private async update(
    userKey: string,
    change: (record: QuotaRecord) => QuotaRecord,
  ): Promise<void> {
    await this.lock.run(`quota:${userKey}`, async () => {
      const current = rollOver(await this.records.get(userKey), utcDay(this.now()));
      const next = change(current);
      await this.records.set(userKey, next);
    });
  }
}
