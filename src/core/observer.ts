import type { ApiErrorKind } from './api/errors.js';
import type { JobRecord, JobState } from './types.js';

export type ApiEndpoint = 'createTask' | 'recordInfo';

/**
 * What the core reports about its own work, for metrics. The core only calls these hooks; what is
 * done with them (Prometheus, logs, nothing) is decided at the composition root.
 */
export interface CoreObserver {
  apiCall?(endpoint: ApiEndpoint, durationMs: number, errorKind: ApiErrorKind | undefined): void;
  apiRetry?(endpoint: ApiEndpoint, errorKind: ApiErrorKind): void;
  jobEntered?(state: JobState): void;
  quotaRefused?(code: string): void;
  /** A finished job's result was shown (ok) or could not be shown even after retries. */
  delivered?(ok: boolean): void;
  /**
   * A job reached its final outcome, credits settled (the record as it ends: outcome, cost, place).
   * Called once per process that finishes it; a job resumed elsewhere may be reported again.
   */
  jobFinished?(job: JobRecord): void;
  /** recordInfo calls one job needed, counted when it stops being polled. */
  pollsForJob?(polls: number): void;
}
