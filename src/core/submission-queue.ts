import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import type { JobRecord } from './types.js';

export type SubmitOutcome = 'accepted' | 'busy' | 'failed';

export interface SubmissionQueueOptions {
  submit: (job: JobRecord) => Promise<SubmitOutcome>;
  /** Called with every queued job whose place in line changed (1 = next to go). */
  onPositions: (positions: Array<{ job: JobRecord; position: number }>) => void;
  /** How long to wait after a 409 before trying again when no task has finished meanwhile. */
  busyBackoff?: BackoffPolicy;
  clock?: Clock;
}

/**
 * Sends jobs to createTask. Normally each goes at once; after the API answers 409 (active task
 * limit) jobs wait here in arrival order and go one at a time as capacity frees, so a busy API
 * means a visible place in line instead of a failure.
 */
export class SubmissionQueue {
  private readonly waiting: JobRecord[] = [];
  private readonly positions = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private blocked = false;
  private draining = false;
  private busyStreak = 0;
  private timer: unknown;
  private stopped = false;
  private readonly clock: Clock;
  private readonly busyBackoff: BackoffPolicy;

  constructor(private readonly options: SubmissionQueueOptions) {
    this.clock = options.clock ?? systemClock;
    this.busyBackoff = options.busyBackoff ?? { baseMs: 2_000, capMs: 30_000 };
  }

  get length(): number {
    return this.waiting.length;
  }

  add(job: JobRecord): void {
    if (this.stopped) return;
    if (!this.blocked && this.waiting.length === 0 && !this.draining) {
      this.send(job);
      return;
    }
    this.insertInOrder(job);
    this.publishPositions();
    void this.drain();
  }

  /** A task finished, so the API has room for another. */
  capacityFreed(): void {
    if (!this.blocked) return;
    this.unblock();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private send(job: JobRecord): void {
    const attempt = this.submitSafely(job).then((outcome) => {
      if (outcome === 'busy') this.onBusy(job);
      else this.busyStreak = 0;
      return outcome;
    });
    this.track(attempt);
  }

  /** A submit that throws (only when shutting down) leaves the job recorded for the next start. */
  private submitSafely(job: JobRecord): Promise<SubmitOutcome> {
    return this.options.submit(job).catch((): SubmitOutcome => 'failed');
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private onBusy(job: JobRecord): void {
    this.insertInOrder(job);
    this.blocked = true;
    this.busyStreak++;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(
      () => this.unblock(),
      backoffDelay(this.busyStreak - 1, this.busyBackoff),
    );
    this.publishPositions();
  }

  private unblock(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.blocked = false;
    void this.drain();
  }

  /** One at a time while jobs are waiting, so a freed slot is probed once, not stampeded. */
  private async drain(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      while (!this.blocked && !this.stopped && this.waiting.length > 0) {
        const job = this.waiting.shift()!;
        this.positions.delete(job.requestId);
        this.publishPositions();
        const attempt = this.submitSafely(job);
        this.track(attempt);
        const outcome = await attempt;
        if (outcome === 'busy') this.onBusy(job);
        else this.busyStreak = 0;
      }
    } finally {
      this.draining = false;
    }
  }

  private insertInOrder(job: JobRecord): void {
    if (this.waiting.some((queued) => queued.requestId === job.requestId)) return;
    const index = this.waiting.findIndex((queued) => queued.createdAt > job.createdAt);
    if (index === -1) this.waiting.push(job);
    else this.waiting.splice(index, 0, job);
  }

  private publishPositions(): void {
    const changed: Array<{ job: JobRecord; position: number }> = [];
    this.waiting.forEach((job, index) => {
      if (this.positions.get(job.requestId) !== index + 1) {
        this.positions.set(job.requestId, index + 1);
        changed.push({ job, position: index + 1 });
      }
    });
    if (changed.length > 0) this.options.onPositions(changed);
  }
}
