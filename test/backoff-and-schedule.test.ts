import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from '../src/core/backoff.js';
import {
  DEFAULT_POLL_SCHEDULE,
  DurationModel,
  nextPollDelay,
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
    for (let index = 0; index < 100; index++) model.observe('1K', 30_000 + index * 100);
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
