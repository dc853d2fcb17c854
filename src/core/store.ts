import type { WindowBackend } from './budget/api-budget.js';
import type { Clock } from './clock.js';
import type { JobDispatcher } from './engine/dispatcher.js';
import type { JobStore } from './jobs.js';
import type { Logger } from './logger.js';
import type { LockProvider } from './mutex.js';
import type { SlotLine } from './queue/slot-line.js';
import type { StoreOutage } from './store-outage.js';

/** The record families the bot keeps; each is its own namespace of keys. */
export type Namespace =
  | 'jobs'
  | 'active'
  | 'quota'
  | 'history'
  /** Images the bot serves to the API as sources of edits (see src/sources/). */
  | 'sources'
  /** Half-finished edits waiting for the person's pick or prompt (see src/conversation/). */
  | 'drafts'
  /** Each server's or workspace's admin settings: budgets, channels, roles, prompt rules (see src/conversation/settings/). */
  | 'settings'
  /** Who generated what, where, and how it ended, per workspace (see src/audit/). */
  | 'audit';

/** One record family: values by key. A failed call rejects; it never looks like "no record". */
export interface KeyValues<T> {
  get(key: string): Promise<T | undefined>;
  /** With `ttlMs` the record expires after that long; without, it stays until deleted. */
  set(key: string, value: T, ttlMs?: number): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  deleteMany(keys: string[]): Promise<boolean>;
}

/** One record of a time log: `id` makes it unique within its stream (appending it again replaces it). */
export interface TimedEntry<T> {
  at: number;
  id: string;
  value: T;
}

/**
 * Records kept in time order per stream (e.g. one workspace's audit trail) and read back by time
 * range, which KeyValues cannot do without walking every key of the family.
 */
export interface TimeLog<T> {
  /**
   * The record expires `ttlMs` after it is written. Resolves true when its id was new to the
   * stream, false when it replaced a record (so a repeated event is counted once).
   */
  append(stream: string, entry: TimedEntry<T>, ttlMs: number): Promise<boolean>;
  /** The stream's unexpired records with `from <= at < to`, oldest first. */
  range(stream: string, from: number, to: number): Promise<T[]>;
}

/**
 * What the core needs from storage. Implementations (memory and SQLite for one process, Redis
 * with BullMQ for several) live in src/storage/; the core sees only these types.
 */
export interface Store {
  /** Prepended to every key, so several bots (or test runs) can share one Redis. */
  readonly prefix: string;
  /** Several processes may work from this store at once (replicas), each seeing the others' work. */
  readonly shared: boolean;
  /** Locks that hold across every process sharing this store. */
  readonly lock: LockProvider;
  namespace<T = unknown>(name: Namespace): KeyValues<T>;
  /** A family kept as time-ordered streams; use a name not also used with namespace(). */
  timeLog<T = unknown>(name: Namespace): TimeLog<T>;
  /** Keys of a namespace, for start-up scans; values are read separately. */
  keys(name: Namespace): AsyncGenerator<string>;
  /** Deletes a namespace's expired records, where the store does not drop them by itself. */
  sweepExpired(name: Namespace): Promise<void>;
  /** Every part that fails to reach the store reports here; it logs each outage once. */
  readonly outage: StoreOutage;
  /** Is the store answering? For readiness checks: answers within a second, also during an outage. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Which process works which job: this one alone, or a job engine shared by every replica. */
  createDispatcher(context: { jobs: Pick<JobStore, 'listActive'>; logger: Logger }): JobDispatcher;
  /** The line for the API key's task slots: this process's own, or one shared by every replica. */
  createSlotLine(clock: Clock): SlotLine;
  /**
   * Where the API key's request windows are kept. `keyId` names the key without revealing it;
   * `maxCallMs` is the longest a call can stay in flight.
   */
  createBudgetWindows(options: { keyId: string; maxCallMs?: number; clock?: Clock }): WindowBackend;
}
