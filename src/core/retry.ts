import { backoffDelay, sleep, type BackoffPolicy } from './backoff.js';

/** After a failed attempt: give up (`false`), or try again after waiting at least `afterMs`. */
export type RetryDecision = false | { afterMs?: number | undefined };

export interface RetryPlan {
  /** Waits grow by this policy (capped, exponential, jittered); without one only `afterMs` is waited. */
  policy?: BackoffPolicy;
  /** Attempts in all, the first included; no limit when omitted. */
  maxAttempts?: number;
  /**
   * Called after each failed attempt (1 = the first) that is not the last: `false` ends with that
   * error; otherwise the next attempt waits the policy's delay or `afterMs`, whichever is longer
   * (a server's Retry-After always wins over a shorter backoff).
   */
  retryable(error: unknown, attempt: number): RetryDecision;
  /** Aborting ends a wait at once, rejecting with the signal's reason; no attempt starts after it. */
  signal?: AbortSignal;
  /** Told before each wait, e.g. to log the failure or count it. */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** The jitter's source (tests pin it). */
  random?: () => number;
  /** How to wait (tests pass a virtual clock's). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `operation` until it succeeds, the plan's attempts are spent, `retryable` says the error
 * will not pass, or the signal aborts. The operation's own error is what the caller sees.
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  plan: RetryPlan,
): Promise<T> {
  const maxAttempts = plan.maxAttempts ?? Number.POSITIVE_INFINITY;
  const wait = plan.wait ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || plan.signal?.aborted) throw error;
      const decision = plan.retryable(error, attempt);
      if (!decision) throw error;
      const backoff = plan.policy ? backoffDelay(attempt - 1, plan.policy, plan.random) : 0;
      const delayMs = Math.max(backoff, decision.afterMs ?? 0);
      plan.onRetry?.(error, attempt, delayMs);
      await wait(delayMs, plan.signal);
    }
  }
}
