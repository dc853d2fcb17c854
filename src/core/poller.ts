import { unlimitedAbortController } from './shutdown-signal.js';
import { silentLogger, type Logger } from './logger.js';
import { ApiError } from './api/errors.js';
import { noticeOf, type ImageApi, type TaskStatus } from './api/client.js';
import { TIER_LIMITS } from './api/limits.js';
import type { ApiBudget, BudgetPermit } from './budget/api-budget.js';
import { BudgetGate } from './budget/api-budget.js';
import { LocalWindows } from './budget/local-windows.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import { MinHeap } from './heap.js';
import type { CoreObserver } from './observer.js';
import type { Resolution } from './options.js';
import {
  completionChance,
  DEFAULT_POLL_SCHEDULE,
  DurationModel,
  nextPollDelay,
  plannedPollDelay,
  type PollScheduleSettings,
} from './poll-schedule.js';

/** Due polls compared for each call granted (see spend). */
const MAX_CHOICES = 128;

export interface PollTarget {
  requestId: string;
  taskId: string;
  resolution: Resolution;
  /** When createTask was accepted; the task's age is measured from here. */
  submittedAt: number;
}

export type PollResult =
  | { kind: 'finished'; status: TaskStatus }
  | { kind: 'gave_up'; reason: 'deadline' }
  | { kind: 'gave_up'; reason: 'error'; error: ApiError };

export interface PollerOptions {
  api: Pick<ImageApi, 'getTask'>;
  onProgress: (target: PollTarget, ageMs: number) => void;
  onResult: (target: PollTarget, result: PollResult) => void;
  schedule?: PollScheduleSettings;
  /**
   * The key's budget (both windows, shared by every replica on Redis). Without one the poller
   * keeps its own: `maxRequestsPerSecond` a second, or the basic tier's recordInfo limits.
   */
  budget?: ApiBudget;
  /** Ceiling on recordInfo calls per second when no budget is given (tests, benchmarks). */
  maxRequestsPerSecond?: number;
  maxConcurrentRequests?: number;
  /** A task still waiting this long after submission is given up on. */
  deadlineMs?: number;
  errorBackoff?: BackoffPolicy;
  clock?: Clock;
  logger?: Logger;
  model?: DurationModel;
  observer?: CoreObserver;
}

interface Entry {
  target: PollTarget;
  dueAt: number;
  errors: number;
  /** recordInfo calls made for this job so far. */
  polls: number;
  /** Age of the task at its latest poll (0 before the first): the chance of news grows from there. */
  polledAtAge: number;
  /** Why the latest poll failed, so a deadline reached through errors reports the real cause. */
  lastError?: ApiError;
}

export class Poller {
  readonly model: DurationModel;
  private readonly heap = new MinHeap<Entry>((a, b) => a.dueAt < b.dueAt);
  /** The entry currently scheduled for each tracked request; a stale heap entry is skipped. */
  private readonly entries = new Map<string, Entry>();
  private readonly schedule: PollScheduleSettings;
  private readonly maxConcurrent: number;
  private readonly deadlineMs: number;
  private readonly errorBackoff: BackoffPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly budget: ApiBudget;
  /** A budget the poller made for itself is closed with it; a shared one belongs to its maker. */
  private readonly ownsBudget: boolean;
  /** Due polls waiting for a place in the budget; the likeliest to find a finished task goes first. */
  private readonly ready = new Set<Entry>();
  /** A place is being waited for (one at a time, so the choice is made when it is granted). */
  private acquiring = false;
  /** Shutdown for every call in flight: one listener per waiting call is expected, not a leak. */
  private readonly abort = unlimitedAbortController();
  private inFlight = 0;
  private readonly inFlightCalls = new Set<Promise<void>>();
  private timer: unknown;
  private timerDueAt = Infinity;
  private stopped = false;
  /** recordInfo calls made, for metrics and benchmarks. */
  calls = 0;

  constructor(private readonly options: PollerOptions) {
    this.schedule = options.schedule ?? DEFAULT_POLL_SCHEDULE;
    this.maxConcurrent = options.maxConcurrentRequests ?? 16;
    this.deadlineMs = options.deadlineMs ?? 15 * 60_000;
    this.errorBackoff = options.errorBackoff ?? { baseMs: 1_000, capMs: 30_000 };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.model = options.model ?? new DurationModel();
    this.ownsBudget = options.budget === undefined;
    this.budget = options.budget ?? ownBudget(options.maxRequestsPerSecond, this.clock);
  }

  get tracked(): number {
    return this.entries.size;
  }

  track(target: PollTarget): void {
    if (this.stopped || this.entries.has(target.requestId)) return;
    const age = Math.max(0, this.clock.now() - target.submittedAt);
    this.enqueue({
      target,
      dueAt: this.clock.now() + this.delayFor(target.resolution, age),
      errors: 0,
      polls: 0,
      polledAtAge: 0,
    });
  }

  untrack(requestId: string): void {
    this.entries.delete(requestId);
  }

  /** Stops scheduling and aborts the calls in flight: every task is recorded and resumes elsewhere. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    // Forgotten first, so the calls aborted here end without a "polling again later" warning.
    this.entries.clear();
    this.abort.abort(new Error('the poller is stopping'));
    await Promise.allSettled([...this.inFlightCalls]);
    this.ready.clear();
    if (this.ownsBudget) await this.budget.close();
  }

  private delayFor(resolution: Resolution, ageMs: number): number {
    const plan = this.model.plan(resolution, this.schedule);
    return plan
      ? plannedPollDelay(ageMs, plan, this.schedule)
      : nextPollDelay(ageMs, this.schedule.priorDurationMs, this.schedule);
  }

  private enqueue(entry: Entry): void {
    const deadline = entry.target.submittedAt + this.deadlineMs;
    entry.dueAt = Math.min(entry.dueAt, deadline);
    this.entries.set(entry.target.requestId, entry);
    this.heap.push(entry);
    this.arm();
  }

  /** Sets one timer for the moment the next poll falls due. */
  private arm(): void {
    if (this.stopped) return;
    const next = this.heap.peek();
    if (!next) return;
    const at = next.dueAt;
    if (this.timer !== undefined && this.timerDueAt <= at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerDueAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  /** Moves polls that fell due to the ready set, then asks the budget for a place for one of them. */
  private pump(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (let next = this.heap.peek(); next && next.dueAt <= now; next = this.heap.peek()) {
      this.heap.pop();
      if (this.entries.get(next.target.requestId) === next) this.ready.add(next);
    }
    this.arm();
    if (this.acquiring || this.ready.size === 0 || this.inFlight >= this.maxConcurrent) return;
    this.acquiring = true;
    this.budget.acquire('recordInfo', this.abort.signal).then(
      (permit) => {
        this.acquiring = false;
        this.spend(permit);
        this.pump();
      },
      () => {
        this.acquiring = false;
      },
    );
  }

  /** A place in the budget was granted: it goes to the due poll likeliest to find its task done. */
  private spend(permit: BudgetPermit): void {
    const now = this.clock.now();
    let best: Entry | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let considered = 0;
    for (const entry of this.ready) {
      // The ready set is in the order polls fell due; looking at the earliest few hundred keeps
      // each choice cheap when thousands wait, and the rest move up as these are served.
      if (++considered > MAX_CHOICES) break;
      if (this.entries.get(entry.target.requestId) !== entry) {
        this.ready.delete(entry);
        continue;
      }
      if (now >= entry.target.submittedAt + this.deadlineMs) {
        this.ready.delete(entry);
        this.settle(
          entry,
          entry.lastError
            ? { kind: 'gave_up', reason: 'error', error: entry.lastError }
            : { kind: 'gave_up', reason: 'deadline' },
        );
        continue;
      }
      const score = this.priority(entry, now);
      if (score > bestScore || (score === bestScore && best && entry.dueAt < best.dueAt)) {
        best = entry;
        bestScore = score;
      }
    }
    if (this.stopped || !best) {
      permit.release(false);
      return;
    }
    this.ready.delete(best);
    this.poll(best, permit);
  }

  /**
   * The chance the task finished since its last poll; a poll overdue by more than the longest
   * interval goes first whatever its chance, so no task is starved by likelier ones.
   */
  private priority(entry: Entry, now: number): number {
    if (now - entry.dueAt > this.schedule.maxIntervalMs) return 1 + (now - entry.dueAt);
    const age = now - entry.target.submittedAt;
    return completionChance(
      this.model,
      entry.target.resolution,
      this.schedule,
      entry.polledAtAge,
      age,
    );
  }

  private poll(entry: Entry, permit: BudgetPermit): void {
    this.inFlight++;
    this.calls++;
    entry.polls++;
    entry.polledAtAge = this.clock.now() - entry.target.submittedAt;
    const call = this.options.api
      .getTask(entry.target.taskId, { permit, signal: this.abort.signal })
      .finally(() => permit.release())
      .then(
        (status) => this.handleStatus(entry, status),
        (error: unknown) => this.handleError(entry, error),
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error, requestId: entry.target.requestId }, 'poll handler failed'),
      )
      .finally(() => {
        this.inFlight--;
        this.inFlightCalls.delete(call);
        this.pump();
      });
    this.inFlightCalls.add(call);
  }

  /** The job leaves the poller: report how many calls it took, then its result. */
  private settle(entry: Entry, result: PollResult): void {
    this.entries.delete(entry.target.requestId);
    this.options.observer?.pollsForJob?.(entry.polls);
    this.options.onResult(entry.target, result);
  }

  private handleStatus(entry: Entry, status: TaskStatus): void {
    if (this.entries.get(entry.target.requestId) !== entry) return;
    const now = this.clock.now();
    const age = now - entry.target.submittedAt;
    if (status.state === 'waiting') {
      this.options.onProgress(entry.target, age);
      this.enqueue({
        target: entry.target,
        errors: 0,
        polls: entry.polls,
        polledAtAge: entry.polledAtAge,
        dueAt: now + this.delayFor(entry.target.resolution, age),
      });
      return;
    }
    if (status.state === 'success') {
      const duration =
        status.costTimeMs ??
        (status.completeTime && status.createTime ? status.completeTime - status.createTime : age);
      this.model.observe(entry.target.resolution, duration);
    }
    this.settle(entry, { kind: 'finished', status });
  }

  private handleError(entry: Entry, error: unknown): void {
    // A call cut short by stop() is no failure: the job stays recorded for the next start.
    if (this.stopped || this.entries.get(entry.target.requestId) !== entry) return;
    const apiError =
      error instanceof ApiError ? error : new ApiError('network', String(error), { cause: error });
    // An unknown task or a rejected key will not get better by asking again.
    if (apiError.kind === 'not_found' || apiError.kind === 'unauthorized') {
      this.settle(entry, { kind: 'gave_up', reason: 'error', error: apiError });
      return;
    }
    const now = this.clock.now();
    if (apiError.kind === 'rate_limited') {
      // The limit is per key, so every job waits, not only the one that hit it; a body naming
      // the key's real tier or limit lowers the budget for good.
      this.budget.rateLimited('recordInfo', {
        retryAfterSeconds: this.errorBackoff.baseMs / 1000,
        ...noticeOf(apiError),
      });
    }
    const delay = retryDelay(entry.errors, this.errorBackoff, apiError.retryAfterMs);
    this.logger.warn(
      {
        requestId: entry.target.requestId,
        taskId: entry.target.taskId,
        kind: apiError.kind,
        err: apiError.message,
        retryInMs: delay,
      },
      'recordInfo failed; polling again later',
    );
    this.enqueue({ ...entry, errors: entry.errors + 1, lastError: apiError, dueAt: now + delay });
  }
}

/** The poller's own budget when none is shared: a per-second cap, or the basic tier's limits. */
function ownBudget(maxRequestsPerSecond: number | undefined, clock: Clock): ApiBudget {
  const basic = TIER_LIMITS.basic;
  const recordInfo =
    maxRequestsPerSecond === undefined
      ? basic.recordInfo
      : { perSecond: maxRequestsPerSecond, perMinute: maxRequestsPerSecond * 60 };
  return new BudgetGate({
    limits: { ...basic, recordInfo },
    backend: new LocalWindows({ clock }),
    clock,
  });
}
