import { describe, expect, it } from 'vitest';
import {
  lowerLimits,
  resolveApiLimits,
  TIER_LIMITS,
  type ApiLimits,
} from '../src/core/api/limits.js';
import { BudgetGate, type BudgetPermit } from '../src/core/budget/api-budget.js';
import { LocalWindows } from '../src/core/budget/local-windows.js';
import { maxInAnyWindow, waitBeforeNextCall } from '../src/core/budget/rate-window.js';
import { createLogger } from '../src/log.js';
import { VirtualClock } from './helpers/virtual-clock.js';

const SECOND = { limit: 2, windowMs: 1_000 };
const MINUTE = { limit: 5, windowMs: 60_000 };

describe('sliding-window arithmetic', () => {
  it('lets a call go while both windows have room', () => {
    expect(waitBeforeNextCall({ answered: [], inFlight: 0 }, 0, [SECOND, MINUTE], 0)).toBe(0);
    expect(waitBeforeNextCall({ answered: [100], inFlight: 0 }, 500, [SECOND, MINUTE], 0)).toBe(0);
  });

  it('waits until the oldest call in a full second has left it, plus the guard', () => {
    // Two answered at 100 and 400: the next may go once 100 is more than a second (and 10 ms) old.
    expect(waitBeforeNextCall({ answered: [100, 400], inFlight: 0 }, 500, [SECOND], 10)).toBe(
      100 + 1_000 + 10 - 500,
    );
    expect(waitBeforeNextCall({ answered: [100, 400], inFlight: 0 }, 1_110, [SECOND], 10)).toBe(0);
  });

  it('keeps to the minute window when the second has room', () => {
    const answered = [0, 2_000, 4_000, 6_000, 8_000];
    expect(waitBeforeNextCall({ answered, inFlight: 0 }, 10_000, [SECOND, MINUTE], 0)).toBe(
      60_000 - 10_000,
    );
    expect(waitBeforeNextCall({ answered, inFlight: 0 }, 60_000, [SECOND, MINUTE], 0)).toBe(0);
  });

  it('counts calls still in flight in every window, until their answer', () => {
    expect(waitBeforeNextCall({ answered: [], inFlight: 2 }, 5_000, [SECOND], 0)).toBe(
      Number.POSITIVE_INFINITY,
    );
    // One answered long ago does not help; one in flight plus one recent fills the second.
    expect(waitBeforeNextCall({ answered: [4_500], inFlight: 1 }, 5_000, [SECOND], 0)).toBe(500);
  });

  it('measures the most calls in any sliding window', () => {
    expect(maxInAnyWindow([0, 999, 1_000, 1_500, 1_999], 1_000)).toBe(3);
    expect(maxInAnyWindow([0, 1, 2, 999, 1_000], 1_000)).toBe(4);
    expect(maxInAnyWindow([0, 1_000, 2_000], 1_000)).toBe(1);
    expect(maxInAnyWindow([], 1_000)).toBe(0);
  });
});

describe('limits named by a 429', () => {
  const basic = resolveApiLimits('basic');

  it("lowers every limit to the named tier's table, and never raises one", () => {
    const lowered = lowerLimits(basic, 'createTask', {
      tier: 'free',
      limit: 10,
      windowSeconds: 60,
    });
    expect(lowered).toEqual(TIER_LIMITS.free);
    expect(lowerLimits(lowered, 'createTask', { tier: 'pro' })).toBe(lowered);
  });

  it('lowers only the named window when the tier is the configured one (API_LIMITS set too high)', () => {
    const tooHigh = resolveApiLimits('basic', { createTask: { perMinute: 500 } });
    const lowered = lowerLimits(tooHigh, 'createTask', {
      tier: 'basic',
      limit: 180,
      windowSeconds: 60,
    });
    expect(lowered.createTask).toEqual({ perSecond: 5, perMinute: 180 });
    expect(lowered.recordInfo).toEqual(tooHigh.recordInfo);
  });

  it('changes nothing for a 429 that names nothing', () => {
    expect(lowerLimits(basic, 'recordInfo', { retryAfterSeconds: 3 })).toBe(basic);
  });
});

/** A budget on a virtual clock whose calls take `latencyMs` from send to answer. */
function virtualBudget(limits: ApiLimits, logLines: string[] = []) {
  const clock = new VirtualClock(0);
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const budget = new BudgetGate({ limits, backend: new LocalWindows({ clock }), clock, logger });
  const calls: Array<{ sentAt: number; answeredAt: number }> = [];
  const call = async (endpoint: 'createTask' | 'recordInfo', latencyMs: number) => {
    const permit: BudgetPermit = await budget.acquire(endpoint);
    const sentAt = clock.now();
    await new Promise<void>((resolve) => clock.setTimeout(resolve, latencyMs));
    calls.push({ sentAt, answeredAt: clock.now() });
    permit.release();
  };
  return { clock, budget, calls, call };
}

/**
 * The most calls the API could have seen in one window: a call arrives somewhere between its send
 * and its answer, so the worst case counts every call whose span meets the window.
 */
function worstCaseInAnyWindow(
  calls: ReadonlyArray<{ sentAt: number; answeredAt: number }>,
  windowMs: number,
): number {
  let worst = 0;
  for (const { answeredAt } of calls) {
    // Sliding a window later only adds calls until one answered before its start drops out, so
    // the fullest windows start at an answer.
    const start = answeredAt;
    const meeting = calls.filter(
      (other) => other.answeredAt >= start && other.sentAt < start + windowMs,
    ).length;
    worst = Math.max(worst, meeting);
  }
  return worst;
}

describe('API budget on one process (virtual clock)', () => {
  const limits = resolveApiLimits('free');

  it('never lets more than the cap reach the API in any sliding second or minute, whatever the latency', async () => {
    const { clock, calls, call } = virtualBudget(limits);
    const latencies = [5, 300, 40, 900, 10, 120];
    const all = Array.from({ length: 40 }, (_, index) =>
      call('recordInfo', latencies[index % latencies.length]!),
    );
    await clock.advanceTo(5 * 60_000);
    await Promise.all(all);
    expect(calls).toHaveLength(40);
    expect(worstCaseInAnyWindow(calls, 1_000)).toBeLessThanOrEqual(limits.recordInfo.perSecond);
    expect(worstCaseInAnyWindow(calls, 60_000)).toBeLessThanOrEqual(limits.recordInfo.perMinute);
  });

  it('keeps separate budgets per endpoint, so polling never holds up task creation', async () => {
    const { clock, calls, call } = virtualBudget(limits);
    const polls = Array.from({ length: 100 }, () => call('recordInfo', 20));
    const create = call('createTask', 20);
    await clock.advanceTo(100);
    await create;
    // The one createTask went at once, although a hundred polls were waiting for their turn.
    expect(calls.some((entry) => entry.sentAt === 0)).toBe(true);
    expect(calls.length).toBeLessThan(10);
    await clock.advanceTo(10 * 60_000);
    await Promise.all(polls);
  });

  it('serves waiters in order and lets an aborted wait go without using a place', async () => {
    const { clock, budget } = virtualBudget(limits);
    const order: string[] = [];
    const first = await budget.acquire('createTask');
    const abort = new AbortController();
    const second = budget.acquire('createTask', abort.signal);
    const third = budget.acquire('createTask').then((permit) => {
      order.push('third');
      return permit;
    });
    abort.abort(new Error('gave up'));
    await expect(second).rejects.toThrow('gave up');
    first.release();
    await clock.advanceTo(1_100);
    await third;
    expect(order).toEqual(['third']);
  });

  it('after a 429 naming a smaller tier: lowers at once, waits retryAfter, logs one line', async () => {
    const lines: string[] = [];
    const { clock, budget, calls, call } = virtualBudget(resolveApiLimits('basic'), lines);
    budget.rateLimited('createTask', {
      retryAfterSeconds: 17,
      limit: 1,
      tier: 'free',
      windowSeconds: 1,
    });
    budget.rateLimited('recordInfo', { retryAfterSeconds: 1, tier: 'free' });
    expect(budget.limits).toEqual(TIER_LIMITS.free);
    const create = call('createTask', 10);
    await clock.advanceTo(16_000);
    expect(calls).toHaveLength(0);
    await clock.advanceTo(18_000);
    await create;
    expect(calls[0]!.sentAt).toBeGreaterThanOrEqual(17_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('API_TIER is basic');
    expect(lines[0]).toContain('set API_TIER=free');
  });
});
