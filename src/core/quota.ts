import type { KeyValues } from './store.js';
import { UserError } from './errors.js';
import { KeyedMutex, type LockProvider } from './mutex.js';
import type { Resolution } from './options.js';
import type { PoolCharge } from './types.js';
import {
  checkPoolCharges,
  describeReset,
  periodEnd,
  periodKey,
  poolRecordKey,
  poolRefusal,
  type PoolStatus,
} from './budget-pools.js';

export { describeReset } from './budget-pools.js';

/** Credits held for a job in flight; they count as spent until the job ends. */
interface Hold {
  cost: number;
  /** The period the hold was taken in (see QuotaRecord.day). */
  day: string;
}

/**
 * One ledger's current period: a user's UTC day, or a pool's day or month. `day` is the period's
 * key (`2026-12-03`, or `2026-12` for a month); it keeps that name so users' records read as before.
 */
interface QuotaRecord {
  day: string;
  spent: number;
  holds: Record<string, Hold>;
  /** Users only, set by an admin; replaces the default daily credits for this user. */
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
  /** The pools asked about, in the order given: what each has left, for /quota. */
  pools: PoolStatus[];
}

export function utcDay(time: number): string {
  return periodKey('day', time);
}

export function nextUtcMidnight(time: number): Date {
  return periodEnd('day', time);
}

/** The arithmetic of one ledger's period, pure so every edge can be tested without a store. */
export function usedToday(record: QuotaRecord): number {
  return (
    record.spent +
    Object.values(record.holds).reduce(
      (sum, hold) => sum + (hold.day === record.day ? hold.cost : 0),
      0,
    )
  );
}

function rollOver(record: QuotaRecord | undefined, current: string): QuotaRecord {
  if (!record) return { day: current, spent: 0, holds: {} };
  if (record.day === current) return record;
  return { ...record, day: current, spent: 0 };
}

/** A record a generation is charged to: the user's own (no charge) or one pool's. */
interface Ledger {
  key: string;
  period: PoolCharge['period'];
  charge?: PoolCharge;
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
   * Holds the job's cost against the user's day and every pool's period, all or none, or refuses
   * with the reason. Every record's lock is held while they are read, checked and written (taken
   * in sorted order, so two reservations sharing records cannot deadlock): reserving before the
   * API call is what keeps concurrent requests, on any replica, from overshooting a limit.
   */
  async reserve(
    userKey: string,
    jobId: string,
    cost: number,
    pools: readonly PoolCharge[] = [],
    roleAllowance?: number,
  ): Promise<void> {
    const ledgers = this.ledgersOf(userKey, pools);
    await this.locked(ledgers, async () => {
      const records = await this.readAllowing(ledgers, cost, roleAllowance, jobId);
      await Promise.all(
        ledgers.flatMap((ledger, index) => {
          const record = records[index]!;
          if (record.holds[jobId]) return [];
          const holds = { ...record.holds, [jobId]: { cost, day: record.day } };
          return [this.records.set(ledger.key, { ...record, holds })];
        }),
      );
    });
  }

  /**
   * Throws the refusal a reservation of this cost would meet now, without holding anything: lets
   * an adapter answer before it shows a status message. Only `reserve` is authoritative.
   */
  async check(
    userKey: string,
    cost: number,
    pools: readonly PoolCharge[] = [],
    roleAllowance?: number,
  ): Promise<void> {
    await this.readAllowing(this.ledgersOf(userKey, pools), cost, roleAllowance);
  }

  /** Every ledger's current record, or the refusal this cost meets in one of them. */
  private async readAllowing(
    ledgers: readonly Ledger[],
    cost: number,
    roleAllowance: number | undefined,
    jobId?: string,
  ): Promise<QuotaRecord[]> {
    const records = await Promise.all(ledgers.map((ledger) => this.read(ledger)));
    const refusal = this.refusalFor(ledgers, records, cost, roleAllowance, jobId);
    if (refusal) throw refusal;
    return records;
  }

  /**
   * Of every limit this cost would pass, the one that frees up last: it decides when the person
   * can go ahead (the user's own on a tie). Records already holding `jobId` are not asked again.
   */
  private refusalFor(
    ledgers: readonly Ledger[],
    records: readonly QuotaRecord[],
    cost: number,
    roleAllowance: number | undefined,
    jobId?: string,
  ): UserError | undefined {
    const now = this.now();
    const refusals: Array<{ error: UserError; resetsAt: number }> = [];
    ledgers.forEach((ledger, index) => {
      const record = records[index]!;
      if (jobId !== undefined && record.holds[jobId]) return;
      const error = ledger.charge
        ? poolRefusal(ledger.charge, remainingOf(record, ledger.charge.limit), cost, now)
        : this.userRefusal(record, cost, roleAllowance);
      if (error) refusals.push({ error, resetsAt: periodEnd(ledger.period, now).getTime() });
    });
    const tooMany = refusals.find((refusal) => refusal.error.code === 'too_many_active');
    return (
      tooMany ??
      refusals.reduce<(typeof refusals)[number] | undefined>(
        (latest, refusal) => (latest && latest.resetsAt >= refusal.resetsAt ? latest : refusal),
        undefined,
      )
    )?.error;
  }

  private userRefusal(
    record: QuotaRecord,
    cost: number,
    roleAllowance: number | undefined,
  ): UserError | undefined {
    if (Object.keys(record.holds).length >= this.settings.maxActivePerUser) {
      return new UserError('too_many_active', { max: this.settings.maxActivePerUser });
    }
    const remaining = remainingOf(record, this.allowanceOf(record, roleAllowance));
    if (cost <= remaining) return undefined;
    const now = this.now();
    return new UserError('quota_exhausted', {
      remaining,
      cost,
      resetsAt: describeReset(nextUtcMidnight(now), now),
      resetsAtTime: nextUtcMidnight(now).getTime(),
      refusedAt: now,
      // Suggest a lower resolution only when one exists that the remaining credits would pay for.
      cheaperFits: Object.values(this.settings.costs).some(
        (price) => price < cost && price <= remaining,
      ),
    });
  }

  /** The job produced an image: its held credits become spent, in each record. Safe to repeat. */
  async commit(userKey: string, jobId: string, pools: readonly PoolCharge[] = []): Promise<void> {
    await this.updateEach(this.ledgersOf(userKey, pools), (record) => {
      const hold = record.holds[jobId];
      if (!hold) return record;
      const { [jobId]: _released, ...holds } = record.holds;
      // Credits held in an earlier period were that period's; the new one is not charged for them.
      return { ...record, holds, spent: record.spent + (hold.day === record.day ? hold.cost : 0) };
    });
  }

  /** The job failed or was refused: its held credits return to the user and every pool. Safe to repeat. */
  async refund(userKey: string, jobId: string, pools: readonly PoolCharge[] = []): Promise<void> {
    await this.updateEach(this.ledgersOf(userKey, pools), (record) => {
      if (!record.holds[jobId]) return record;
      const { [jobId]: _released, ...holds } = record.holds;
      return { ...record, holds };
    });
  }

  /**
   * A committed job showed nothing after all (its image could not be fetched): its credits return
   * to the user and every pool. Only the current period's spending can be returned; `reservedAt`
   * says which period paid for it.
   */
  async returnSpent(
    userKey: string,
    cost: number,
    reservedAt: number,
    pools: readonly PoolCharge[] = [],
  ): Promise<void> {
    await this.updateEach(this.ledgersOf(userKey, pools), (record, ledger) =>
      record.day === periodKey(ledger.period, reservedAt)
        ? { ...record, spent: Math.max(0, record.spent - cost) }
        : record,
    );
  }

  async setDailyCredits(userKey: string, dailyCredits: number): Promise<void> {
    if (!Number.isInteger(dailyCredits) || dailyCredits < 0)
      throw new RangeError('daily credits must be a whole number >= 0');
    await this.updateEach(this.ledgersOf(userKey, []), (record) => ({ ...record, dailyCredits }));
  }

  /** A user's daily credits: their own override, else their roles' allowance, else the default. */
  private allowanceOf(record: QuotaRecord, roleAllowance: number | undefined): number {
    return record.dailyCredits ?? roleAllowance ?? this.settings.dailyCredits;
  }

  async status(
    userKey: string,
    pools: readonly PoolCharge[] = [],
    roleAllowance?: number,
  ): Promise<QuotaStatus> {
    const [record, poolStatus] = await Promise.all([
      this.read({ key: userKey, period: 'day' }),
      this.poolStatus(pools),
    ]);
    const dailyCredits = this.allowanceOf(record, roleAllowance);
    return {
      dailyCredits,
      used: usedToday(record),
      remaining: remainingOf(record, dailyCredits),
      resetsAt: nextUtcMidnight(this.now()),
      activeJobIds: Object.keys(record.holds),
      pools: poolStatus,
    };
  }

  /** What each pool has used and has left in its current period, whoever asks. */
  async poolStatus(pools: readonly PoolCharge[]): Promise<PoolStatus[]> {
    const now = this.now();
    const [, ...poolLedgers] = this.ledgersOf('', pools);
    const records = await Promise.all(poolLedgers.map((ledger) => this.read(ledger)));
    return pools.map((charge, index) => ({
      ...charge,
      used: usedToday(records[index]!),
      remaining: remainingOf(records[index]!, charge.limit),
      resetsAt: periodEnd(charge.period, now),
    }));
  }

  /** The user's own record first, then each pool's, as the job record lists them. */
  private ledgersOf(userKey: string, pools: readonly PoolCharge[]): Ledger[] {
    checkPoolCharges(pools);
    return [
      { key: userKey, period: 'day' },
      ...pools.map((charge) => ({ key: poolRecordKey(charge), period: charge.period, charge })),
    ];
  }

  private async read(ledger: Ledger): Promise<QuotaRecord> {
    return rollOver(await this.records.get(ledger.key), periodKey(ledger.period, this.now()));
  }

  /** Runs `work` holding the lock of every ledger, taken in one global (sorted) order. */
  private locked(ledgers: readonly Ledger[], work: () => Promise<void>): Promise<void> {
    const keys = ledgers.map((ledger) => lockKey(ledger)).sort();
    return keys.reduceRight<() => Promise<void>>(
      (inner, key) => () => this.lock.run(key, inner),
      work,
    )();
  }

  /** Settles each record on its own: every change is idempotent, so a retry after a partial run is safe. */
  private async updateEach(
    ledgers: readonly Ledger[],
    change: (record: QuotaRecord, ledger: Ledger) => QuotaRecord,
  ): Promise<void> {
    for (const ledger of ledgers) {
      await this.lock.run(lockKey(ledger), async () => {
        const next = change(await this.read(ledger), ledger);
        await this.records.set(ledger.key, next);
      });
    }
  }
}

function remainingOf(record: QuotaRecord, limit: number): number {
  return Math.max(0, limit - usedToday(record));
}

/** The user's lock keeps the name it always had, so replicas of an older version still exclude. */
function lockKey(ledger: Ledger): string {
  return `quota:${ledger.key}`;
}
