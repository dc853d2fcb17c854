import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import { ApiError } from './api/errors.js';
import type { ImageApi, TaskStatus } from './api/client.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import { MinHeap } from './heap.js';
import type { CoreObserver } from './observer.js';
import type { Resolution } from './options.js';
import {
  DEFAULT_POLL_SCHEDULE,
  DurationModel,
  nextPollDelay,
  plannedPollDelay,
  type PollScheduleSettings,
} from './poll-schedule.js';

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
  /** Ceiling on recordInfo calls per second across all jobs, so the bot stays inside the key's limits. */
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
  /** Why the latest poll failed, so a deadline reached through errors reports the real cause. */
  lastError?: ApiError;
}

export class Poller {
  readonly model: DurationModel;
  private readonly heap = new MinHeap<Entry>((a, b) => a.dueAt < b.dueAt);
  /** The entry currently scheduled for each tracked request; a stale heap entry is skipped. */
  private readonly entries = new Map<string, Entry>();
  private readonly schedule: PollScheduleSettings;
  private readonly spacingMs: number;
  private readonly maxConcurrent: number;
  private readonly deadlineMs: number;
  private readonly errorBackoff: BackoffPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /**
   * Send times of the latest calls, one slot per call allowed in a second: the cap holds in every
   * sliding second, not only on average, even though timers and Date.now() are whole milliseconds.
   */
  private readonly recentCallTimes: number[];
  private recentCallIndex = 0;
  private inFlight = 0;
  private readonly inFlightCalls = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private nextSlotAt = 0;
  private timer: unknown;
  private timerDueAt = Infinity;
  private stopped = false;
  /** recordInfo calls made, for metrics and benchmarks. */
  calls = 0;

  constructor(private readonly options: PollerOptions) {
    this.schedule = options.schedule ?? DEFAULT_POLL_SCHEDULE;
    const maxRequestsPerSecond = options.maxRequestsPerSecond ?? 20;
    this.spacingMs = 1000 / maxRequestsPerSecond;
    this.recentCallTimes = new Array<number>(Math.max(1, Math.floor(maxRequestsPerSecond))).fill(
      Number.NEGATIVE_INFINITY,
    );
    this.maxConcurrent = options.maxConcurrentRequests ?? 16;
    this.deadlineMs = options.deadlineMs ?? 15 * 60_000;
    this.errorBackoff = options.errorBackoff ?? { baseMs: 1_000, capMs: 30_000 };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.model = options.model ?? new DurationModel();
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

  /** Sets one timer for the next moment anything can happen: a poll falling due and a rate slot free. */
  private arm(): void {
    if (this.stopped || this.inFlight >= this.maxConcurrent) return;
    const next = this.heap.peek();
    if (!next) return;
    const at = Math.max(next.dueAt, this.nextSlotAt);
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

  private pump(): void {
    while (!this.stopped && this.inFlight < this.maxConcurrent) {
      const next = this.heap.peek();
      const now = this.clock.now();
      if (!next || next.dueAt > now || this.nextSlotAt > now) break;
      this.heap.pop();
      if (this.entries.get(next.target.requestId) !== next) continue;
      if (now >= next.target.submittedAt + this.deadlineMs) {
        this.settle(
          next,
          next.lastError
            ? { kind: 'gave_up', reason: 'error', error: next.lastError }
            : { kind: 'gave_up', reason: 'deadline' },
        );
        continue;
      }
      this.recentCallTimes[this.recentCallIndex] = now;
      this.recentCallIndex = (this.recentCallIndex + 1) % this.recentCallTimes.length;
      // The call that would be one too many in a second waits until the oldest leaves it; the
      // extra millisecond covers clocks that only count whole milliseconds.
      const oldestInWindow = this.recentCallTimes[this.recentCallIndex]!;
      this.nextSlotAt = Math.max(
        Math.max(this.nextSlotAt, now) + this.spacingMs,
        oldestInWindow + 1000 + 1,
      );
      this.poll(next);
    }
    this.arm();
  }

  private poll(entry: Entry): void {
    this.inFlight++;
    this.calls++;
    entry.polls++;
    const call = this.options.api
      .getTask(entry.target.taskId, { signal: this.abort.signal })
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
    if (this.entries.get(entry.target.requestId) !== entry) return;
    const apiError =
      error instanceof ApiError ? error : new ApiError('network', String(error), { cause: error });
    // An unknown task or a rejected key will not get better by asking again.
    if (apiError.kind === 'not_found' || apiError.kind === 'unauthorized') {
      this.settle(entry, { kind: 'gave_up', reason: 'error', error: apiError });
      return;
    }
    const now = this.clock.now();
    if (apiError.kind === 'rate_limited') {
      // The limit is per key, so every job waits, not only the one that hit it.
      this.nextSlotAt = Math.max(
        this.nextSlotAt,
        now + (apiError.retryAfterMs ?? this.errorBackoff.baseMs),
      );
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
