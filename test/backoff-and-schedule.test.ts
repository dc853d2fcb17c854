import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from '../src/core/backoff.js';
import {
  DEFAULT_POLL_SCHEDULE,
  DurationModel,
  fixedPollSchedule,
  nextPollDelay,
  planPolls,
  plannedPollDelay,
  quantile,
} from '../src/core/poll-schedule.js';

describe('backoff', () => {
  const policy = { baseMs: 500, capMs: 15_000 };

  it('grows exponentially between half and all of each step, and never past the cap', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(250);
    expect(backoffDelay(0, policy, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 1)).toBe(4_000);
    expect(backoffDelay(20, policy, () => 1)).toBe(15_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(7_500);
  });

  it('never retries sooner than the server asked', () => {
    expect(retryDelay(0, policy, 10_000, () => 1)).toBe(10_000);
    expect(retryDelay(5, policy, 100, () => 1)).toBe(15_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('1.5')).toBe(1_500);
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('poll schedule', () => {
  const window = { early: 20_000, late: 90_000 };

  it('does not poll before almost any task could be done', () => {
    expect(nextPollDelay(0, window, DEFAULT_POLL_SCHEDULE)).toBe(20_000);
    expect(nextPollDelay(15_000, window, DEFAULT_POLL_SCHEDULE)).toBe(5_000);
  });

  it('polls at the target interval while tasks are likely to finish', () => {
    expect(nextPollDelay(20_000, window, DEFAULT_POLL_SCHEDULE)).toBe(2_000);
    expect(nextPollDelay(60_000, window, DEFAULT_POLL_SCHEDULE)).toBe(2_000);
  });

  it('slows down for stragglers, up to the maximum', () => {
    const soon = nextPollDelay(100_000, window, DEFAULT_POLL_SCHEDULE);
    const later = nextPollDelay(150_000, window, DEFAULT_POLL_SCHEDULE);
    expect(soon).toBeGreaterThan(2_000);
    expect(later).toBeGreaterThan(soon);
    expect(nextPollDelay(10_000_000, window, DEFAULT_POLL_SCHEDULE)).toBe(15_000);
  });

  it('learns the window from observed durations per resolution, and follows drift', () => {
    const model = new DurationModel();
    expect(model.window('1K', 20)).toBeUndefined();
    // Shuffled, not ascending: an ever-rising run of durations is a drift, which resets the model.
    for (let index = 0; index < 100; index++)
      model.observe('1K', 30_000 + ((index * 37) % 100) * 100);
    const learned = model.window('1K', 20)!;
    expect(learned.early).toBeGreaterThanOrEqual(30_000);
    expect(learned.early).toBeLessThan(30_500);
    expect(learned.late).toBeGreaterThan(39_000);
    expect(model.window('4K', 20)).toBeUndefined();
    // Tasks suddenly take twice as long: the sliding window moves with them.
    for (let index = 0; index < 500; index++) model.observe('1K', 60_000 + index * 100);
    expect(model.window('1K', 20)!.early).toBeGreaterThanOrEqual(60_000);
  });

  it('ignores durations that cannot be real', () => {
    const model = new DurationModel();
    model.observe('1K', Number.NaN);
    model.observe('1K', -5);
    model.observe('1K', 0);
    expect(model.window('1K', 1)).toBeUndefined();
  });

  it('interpolates quantiles', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
});

describe('learned poll plan', () => {
  const settings = DEFAULT_POLL_SCHEDULE;
  // A deterministic log-normal-like sample: median 40 s, 5–95 % about 20–85 s.
  const durations = Array.from({ length: 500 }, (_, index) => {
    const share = (index + 0.5) / 500;
    const normal = Math.sqrt(2) * inverseErf(2 * share - 1);
    return Math.round(40_000 * Math.exp(0.45 * normal));
  }).sort((a, b) => a - b);

  it('matches the lag of polling at the target interval with far fewer calls', () => {
    const plan = planPolls(durations, settings);
    expect(plan.predicted.lagP50Ms).toBeLessThanOrEqual(settings.targetIntervalMs / 2);
    expect(plan.predicted.lagP95Ms).toBeLessThanOrEqual(settings.targetIntervalMs * 0.95);
    const meanDuration = durations.reduce((sum, value) => sum + value, 0) / durations.length;
    const fixedCalls = meanDuration / settings.targetIntervalMs + 0.5;
    expect(plan.predicted.callsPerTask).toBeLessThan(fixedCalls * 0.75);
  });

  it('sleeps until the earliest tasks finish, then keeps gaps within the lag target', () => {
    const plan = planPolls(durations, settings);
    expect(plan.firstPollMs).toBeCloseTo(quantile(durations, 0.03), -2);
    expect(plannedPollDelay(0, plan, settings)).toBe(plan.firstPollMs);
    for (let age = plan.firstPollMs; age < plan.tailFromMs; age += 1_000) {
      const delay = plannedPollDelay(age, plan, settings);
      expect(delay).toBeGreaterThanOrEqual(settings.minIntervalMs);
      expect(delay).toBeLessThanOrEqual(2 * settings.targetIntervalMs);
    }
  });

  it('polls stragglers past the learned range ever less often, up to the maximum', () => {
    const plan = planPolls(durations, settings);
    const soon = plannedPollDelay(plan.tailFromMs + 10_000, plan, settings);
    const later = plannedPollDelay(plan.tailFromMs + 100_000, plan, settings);
    expect(later).toBeGreaterThan(soon);
    expect(plannedPollDelay(10_000_000, plan, settings)).toBe(settings.maxIntervalMs);
  });

  it('polls tasks that always take the same time once, when they finish', () => {
    const plan = planPolls([30_000, 30_000, 30_000], settings);
    expect(plannedPollDelay(0, plan, settings)).toBe(30_000);
    expect(plan.predicted.lagP95Ms).toBe(0);
  });

  it('is offered by the model once enough durations are known, per resolution', () => {
    const model = new DurationModel();
    for (const duration of durations.slice(0, 19)) model.observe('2K', duration);
    expect(model.plan('2K', settings)).toBeUndefined();
    model.observe('2K', durations[19]!);
    expect(model.plan('2K', settings)).toBeDefined();
    expect(model.plan('1K', settings)).toBeUndefined();
  });

  it('follows a sudden slowdown within a few dozen tasks instead of a whole window', () => {
    const model = new DurationModel();
    for (let index = 0; index < 500; index++) model.observe('1K', durations[(index * 7) % 500]!);
    expect(model.window('1K', 20)!.early).toBeLessThan(25_000);
    for (let index = 0; index < 40; index++)
      model.observe('1K', 2 * durations[(index * 13) % 500]!);
    // Forty slow tasks among 500 fast ones would barely move a sliding window.
    expect(model.window('1K', 20)!.early).toBeGreaterThan(35_000);
  });

  it('expresses fixed-interval polling for comparison', () => {
    const fixed = fixedPollSchedule(5_000);
    expect(nextPollDelay(0, fixed.priorDurationMs, fixed)).toBe(5_000);
    expect(nextPollDelay(600_000, fixed.priorDurationMs, fixed)).toBe(5_000);
  });
});

/** Inverse error function (Winitzki's approximation), enough to shape a test sample. */
function inverseErf(x: number): number {
  const a = 0.147;
  const ln = Math.log(1 - x * x);
  const first = 2 / (Math.PI * a) + ln / 2;
  return Math.sign(x) * Math.sqrt(Math.sqrt(first * first - ln / a) - first);
}
