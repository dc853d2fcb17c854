import type { Store } from './store.js';
import { TERMINAL_STATES, type JobRecord } from './types.js';

const HISTORY_LENGTH = 50;
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Durable job records keyed by request id. Every state change is written here before it takes
 * effect elsewhere, so a restarted process knows exactly where each job stood.
 */
export class JobStore {
  private readonly jobs;
  private readonly active;
  private readonly history;

  constructor(
    private readonly store: Store,
    /** Finished jobs and histories expire after this long; unfinished jobs never do. */
    private readonly retentionMs: number = DEFAULT_RETENTION_MS,
  ) {
    this.jobs = store.namespace<JobRecord>('jobs');
    this.active = store.namespace<number>('active');
    this.history = store.namespace<string[]>('history');
  }

  get(requestId: string): Promise<JobRecord | undefined> {
    return this.jobs.get(requestId);
  }

  async save(job: JobRecord): Promise<void> {
    if (TERMINAL_STATES.has(job.state)) {
      await this.jobs.set(job.requestId, job, this.retentionMs);
      // The active index is what start-up scans, so finished jobs never slow a restart.
      await this.active.delete(job.requestId);
    } else {
      await this.jobs.set(job.requestId, job);
      await this.active.set(job.requestId, job.createdAt);
    }
  }

  /** Jobs not yet delivered, oldest first, to resume after a restart. */
  async listActive(): Promise<JobRecord[]> {
    const jobs: JobRecord[] = [];
    for await (const requestId of this.store.keys('active')) {
      const job = await this.jobs.get(requestId);
      if (job && !TERMINAL_STATES.has(job.state)) jobs.push(job);
      else await this.active.delete(requestId);
    }
    return jobs.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Called under the user's lock by the service, so concurrent finishes cannot drop an entry. */
  async addToHistory(userKey: string, requestId: string): Promise<void> {
    const ids = (await this.history.get(userKey)) ?? [];
    const next = [requestId, ...ids.filter((id) => id !== requestId)].slice(0, HISTORY_LENGTH);
    await this.history.set(userKey, next, this.retentionMs);
  }

  async recent(userKey: string, limit: number): Promise<JobRecord[]> {
    const ids = ((await this.history.get(userKey)) ?? []).slice(0, limit);
    const jobs = await Promise.all(ids.map((id) => this.jobs.get(id)));
    return jobs.filter((job): job is JobRecord => job !== undefined);
  }

  /** Deletes expired records, so finished jobs and histories do not pile up forever. */
  async sweepExpired(): Promise<void> {
    for (const name of ['jobs', 'history'] as const) await this.store.sweepExpired(name);
  }
}
