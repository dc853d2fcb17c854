import { silentLogger, type Logger } from './logger.js';
import { systemClock, type Clock } from './clock.js';
import type { LineEntry, Place, SlotLine } from './queue/slot-line.js';
import type { JobRecord } from './types.js';

export type SubmitOutcome = 'accepted' | 'busy' | 'failed';

export interface SubmissionQueueOptions {
  /** The line for the API's task slots: this process's own, or shared by every replica. */
  line: SlotLine;
  /** The key's active-task limit now; read at every step, as it can be lowered while running. */
  limit: () => number;
  submit: (job: JobRecord) => Promise<SubmitOutcome>;
  /** Called with every waiting job whose place in line changed (1 = next to go), front first. */
  onPositions: (positions: Array<{ job: JobRecord; position: number }>) => void;
  /**
   * While this process has jobs in the line or holding slots, it re-reads their places and renews
   * their leases this often, besides whenever the line signals a change.
   */
  refreshMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Sends jobs to createTask without ever having more tasks at the API than the key's active-task
 * limit: each job takes a free slot or waits in the (fair, possibly shared) line, showing its
 * place, and goes when a slot frees. A 409 (something else using the key) puts the job back in
 * its place until capacity frees; it never fails the job.
 */
export class SubmissionQueue {
  /** This process's jobs waiting in the line. */
  private readonly waiting = new Map<string, JobRecord>();
  /** This process's jobs holding a slot: being sent, or their task exists. */
  private readonly holding = new Map<string, LineEntry>();
  private readonly joining = new Set<string>();
  private readonly shown = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private refreshing = false;
  private refreshAgain = false;
  private timer: unknown;
  private pauseTimer: unknown;
  private stopped = false;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly refreshMs: number;

  constructor(private readonly options: SubmissionQueueOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.refreshMs = options.refreshMs ?? 1_000;
    options.line.onChange(() => {
      if (this.waiting.size > 0) this.refresh();
    });
  }

  /** Jobs of this process waiting for a slot. */
  get length(): number {
    return this.waiting.size;
  }

  /** A job with no task yet takes a free slot, or its place in line by its arrival time. */
  add(job: JobRecord): void {
    if (this.stopped || this.holding.has(job.requestId)) return;
    this.waiting.set(job.requestId, job);
    this.join(job);
    this.keepTicking();
  }

  /** A job whose task already exists (resumed here) holds a slot until the task finishes. */
  hold(job: JobRecord): void {
    if (this.stopped) return;
    const entry = entryOf(job);
    this.waiting.delete(job.requestId);
    this.holding.set(job.requestId, entry);
    this.track(this.options.line.hold(entry), 'hold a slot');
    this.keepTicking();
  }

  /** The job's task finished or was given up (or it never got one): its slot goes to the next in line. */
  release(requestId: string): void {
    if (this.stopped) return;
    this.waiting.delete(requestId);
    this.holding.delete(requestId);
    this.shown.delete(requestId);
    this.track(this.options.line.release(requestId, this.options.limit()), 'free a slot');
  }

  /** Stops sending; every job keeps its slot or place, for whoever resumes it (leases lapse otherwise). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.timer, this.pauseTimer])
      if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timer = this.pauseTimer = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.options.line.close();
  }

  private join(job: JobRecord): void {
    if (this.joining.has(job.requestId)) return;
    this.joining.add(job.requestId);
    const joined = this.options.line
      .join(entryOf(job), this.options.limit())
      .then((place) => this.apply(new Map([[job.requestId, place]])))
      .finally(() => this.joining.delete(job.requestId));
    this.track(joined, 'join the line');
  }

  /** Acts on the places read from the line: sends jobs that got a slot, shows the others' places. */
  private apply(places: ReadonlyMap<string, Place>): void {
    if (this.stopped) return;
    const moved: Array<{ job: JobRecord; position: number }> = [];
    for (const [requestId, place] of places) {
      const job = this.waiting.get(requestId);
      if (!job) continue;
      if (place === 'slot') {
        this.waiting.delete(requestId);
        this.shown.delete(requestId);
        this.send(job);
      } else if (place === 'missing') {
        // Its lease lapsed (this process stalled, or the store was away): back to its place by arrival.
        this.join(job);
      } else if (this.shown.get(requestId) !== place) {
        this.shown.set(requestId, place);
        moved.push({ job, position: place });
      }
    }
    if (moved.length > 0) this.options.onPositions(moved.sort((a, b) => a.position - b.position));
  }

  private send(job: JobRecord): void {
    const requestId = job.requestId;
    this.holding.set(requestId, entryOf(job));
    const sent = this.options
      .submit(job)
      .catch((): SubmitOutcome => 'failed')
      .then(async (outcome) => {
        // Stopping mid-call leaves the job recorded; whoever resumes it takes over its slot.
        if (this.stopped) return;
        const line = this.options.line;
        if (outcome === 'accepted') {
          await line.created(requestId, this.options.limit());
        } else if (outcome === 'busy') {
          this.holding.delete(requestId);
          const pauseMs = await line.busy(requestId, this.options.limit());
          this.waiting.set(requestId, job);
          this.refresh();
          // The pause ends without any signal: look again then.
          if (this.pauseTimer !== undefined) this.clock.clearTimeout(this.pauseTimer);
          this.pauseTimer = this.clock.setTimeout(() => this.refresh(), pauseMs);
        } else {
          this.release(requestId);
        }
      });
    this.track(sent, 'send a job');
  }

  /** Re-reads the places of this process's jobs; calls that arrive meanwhile make one more read. */
  private refresh(): void {
    if (this.stopped) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    const ids = [...this.waiting.keys(), ...this.holding.keys()];
    if (ids.length === 0) return;
    this.refreshing = true;
    const read = this.options.line
      .look(ids, this.options.limit())
      .then((places) => this.apply(places))
      .finally(() => {
        this.refreshing = false;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.refresh();
        }
      });
    this.track(read, 'read the line');
  }

  /** A periodic read while this process has anything in the line: renews leases, catches missed signals. */
  private keepTicking(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.waiting.size === 0 && this.holding.size === 0) return;
      this.refresh();
      this.keepTicking();
    }, this.refreshMs);
  }

  private track(work: Promise<unknown>, what: string): void {
    // Debug only: a store outage is reported once by the store itself, not by every caller.
    const tracked = work.catch((error: unknown) =>
      this.logger.debug(
        { err: error instanceof Error ? error.message : String(error) },
        `task slots: could not ${what}; will try again`,
      ),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

function entryOf(job: JobRecord): LineEntry {
  return { requestId: job.requestId, userKey: job.user.key, arrivedAt: job.createdAt };
}
