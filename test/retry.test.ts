import { describe, expect, it } from 'vitest';
import { retry, type RetryPlan } from '../src/core/retry.js';

class Flaky extends Error {
  constructor(
    readonly attempt: number,
    readonly retryAfterMs?: number,
  ) {
    super(`attempt ${attempt} failed`);
  }
}

/** An operation that fails `failures` times, then answers; and every wait the helper asked for. */
function scenario(failures: number, retryAfterMs?: (attempt: number) => number | undefined) {
  const waits: number[] = [];
  let calls = 0;
  const operation = (attempt: number) => {
    calls++;
    expect(attempt).toBe(calls);
    if (attempt <= failures) return Promise.reject(new Flaky(attempt, retryAfterMs?.(attempt)));
    return Promise.resolve(`answered on attempt ${attempt}`);
  };
  const plan: RetryPlan = {
    policy: { baseMs: 500, capMs: 4_000 },
    random: () => 1,
    retryable: (error) => (error instanceof Flaky ? { afterMs: error.retryAfterMs } : false),
    wait: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
  return { operation, plan, waits, calls: () => calls };
}

describe('retry', () => {
  it('tries again after each passing failure, waiting the policy’s growing, capped delay', async () => {
    const { operation, plan, waits } = scenario(5);
    await expect(retry(operation, plan)).resolves.toBe('answered on attempt 6');
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
  });

  it('gives up after the last attempt with the operation’s own error, and waits no more', async () => {
    const { operation, plan, waits, calls } = scenario(10);
    const failure = retry(operation, { ...plan, maxAttempts: 3 });
    await expect(failure).rejects.toThrow('attempt 3 failed');
    expect(calls()).toBe(3);
    expect(waits).toEqual([500, 1_000]);
  });

  it('stops at once on an error that will not pass', async () => {
    const { plan, waits } = scenario(0);
    let calls = 0;
    const refused = retry(
      () => {
        calls++;
        return Promise.reject(new Error('401 unauthorized'));
      },
      { ...plan, maxAttempts: 5 },
    );
    await expect(refused).rejects.toThrow('401 unauthorized');
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('tells the retryable rule which attempt failed, and stops when it says so', async () => {
    const { operation, plan, calls } = scenario(10);
    const seen: number[] = [];
    const failure = retry(operation, {
      ...plan,
      retryable: (_error, attempt) => (seen.push(attempt), attempt < 2 ? {} : false),
    });
    await expect(failure).rejects.toThrow('attempt 2 failed');
    expect(seen).toEqual([1, 2]);
    expect(calls()).toBe(2);
  });

  it('honours a Retry-After longer than the backoff, and keeps the backoff when it is longer', async () => {
    const { operation, plan, waits } = scenario(3, (attempt) =>
      attempt === 1 ? 10_000 : attempt === 2 ? 100 : undefined,
    );
    await retry(operation, plan);
    expect(waits).toEqual([10_000, 1_000, 2_000]);
  });

  it('without a policy waits only what the rule asks (nothing when it asks nothing)', async () => {
    const { operation, plan, waits } = scenario(2, (attempt) => (attempt === 1 ? 250 : undefined));
    const { policy: _policy, ...withoutPolicy } = plan;
    await retry(operation, withoutPolicy);
    expect(waits).toEqual([250, 0]);
  });

  it('tells onRetry the failure, its attempt and the wait before each retry', async () => {
    const { operation, plan } = scenario(2);
    const told: Array<[string, number, number]> = [];
    await retry(operation, {
      ...plan,
      onRetry: (error, attempt, delayMs) => told.push([(error as Error).message, attempt, delayMs]),
    });
    expect(told).toEqual([
      ['attempt 1 failed', 1, 500],
      ['attempt 2 failed', 2, 1_000],
    ]);
  });

  it('an abort ends the wait at once with the abort’s reason, and no attempt follows', async () => {
    const shutdown = new AbortController();
    const { operation, plan, calls } = scenario(10);
    const { wait: _virtual, ...realWaits } = plan;
    const stopped = retry(operation, {
      ...realWaits,
      // An hour: only the abort can end this wait before the test times out.
      policy: { baseMs: 3_600_000, capMs: 3_600_000 },
      signal: shutdown.signal,
      onRetry: () => shutdown.abort(new Error('shutting down')),
    });
    await expect(stopped).rejects.toThrow('shutting down');
    expect(calls()).toBe(1);
  });

  it('after an abort, a failed attempt ends with its own error rather than waiting', async () => {
    const shutdown = new AbortController();
    const { plan, waits } = scenario(0);
    const failure = retry(
      () => {
        shutdown.abort(new Error('shutting down'));
        return Promise.reject(new Flaky(1));
      },
      { ...plan, signal: shutdown.signal },
    );
    await expect(failure).rejects.toThrow('attempt 1 failed');
    expect(waits).toEqual([]);
  });
});
