import { describe, expect, it } from 'vitest';
import type { ImageApi, TaskStatus } from '../src/core/api/client.js';
import { ApiError } from '../src/core/api/errors.js';
import { DEFAULT_POLL_SCHEDULE } from '../src/core/poll-schedule.js';
import { Poller, type PollResult, type PollTarget } from '../src/core/poller.js';
import { VirtualClock } from './helpers/virtual-clock.js';

/**
 * The image API's recordInfo contract on a virtual clock: each task finishes at a set time. The
 * HTTP path is covered by the end-to-end tests; here only the timing of calls matters.
 */
class TimedTasks implements Pick<ImageApi, 'getTask'> {
  readonly finishAt = new Map<string, number>();
  readonly calls: Array<{ taskId: string; at: number }> = [];
  failures: ApiError[] = [];

  constructor(private readonly clock: VirtualClock) {}

  getTask(taskId: string): Promise<TaskStatus> {
    this.calls.push({ taskId, at: this.clock.now() });
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    const finishAt = this.finishAt.get(taskId)!;
    const done = this.clock.now() >= finishAt;
    return Promise.resolve({
      taskId,
      state: done ? 'success' : 'waiting',
      rawState: done ? 'success' : 'waiting',
      resultUrls: done ? ['https://cdn.example.com/a.png'] : [],
      failCode: null,
      failMsg: null,
      costTimeMs: done ? finishAt : null,
      createTime: 0,
      completeTime: done ? finishAt : null,
    });
  }
}

function setup(options: { maxRequestsPerSecond?: number; deadlineMs?: number } = {}) {
  const clock = new VirtualClock(0);
  const api = new TimedTasks(clock);
  const results = new Map<string, { result: PollResult; at: number }>();
  const poller = new Poller({
    api,
    clock,
    schedule: DEFAULT_POLL_SCHEDULE,
    maxRequestsPerSecond: options.maxRequestsPerSecond ?? 20,
    deadlineMs: options.deadlineMs ?? 15 * 60_000,
    onProgress: () => undefined,
    onResult: (target: PollTarget, result) =>
      results.set(target.requestId, { result, at: clock.now() }),
  });
  const add = (id: string, finishAt: number) => {
    api.finishAt.set(id, finishAt);
    poller.track({ requestId: id, taskId: id, resolution: '1K', submittedAt: clock.now() });
  };
  return { clock, api, results, poller, add };
}

describe('Poller', () => {
  it('sees a finished task within the target interval, without polling before tasks can be done', async () => {
    const { clock, api, results, add } = setup();
    add('a', 40_000);
    await clock.advanceTo(60_000);
    const seen = results.get('a')!;
    expect(seen.result.kind).toBe('finished');
    expect(seen.at - 40_000).toBeLessThanOrEqual(DEFAULT_POLL_SCHEDULE.targetIntervalMs);
    expect(api.calls[0]!.at).toBeGreaterThanOrEqual(DEFAULT_POLL_SCHEDULE.priorDurationMs.early);
    // Far fewer calls than polling every second from the start.
    expect(api.calls.length).toBeLessThan(20);
  });

  it('learns from finished tasks and starts polling later tasks nearer their likely end', async () => {
    const { clock, api, add } = setup();
    for (let index = 0; index < 30; index++) add(`learn-${index}`, 50_000 + index * 500);
    await clock.advanceTo(200_000);
    // Before learning, the first poll came at the prior's early guess (12 s).
    expect(Math.min(...api.calls.map((call) => call.at))).toBe(
      DEFAULT_POLL_SCHEDULE.priorDurationMs.early,
    );
    const start = clock.now();
    add('next', start + 55_000);
    await clock.advanceTo(start + 100_000);
    const callsForNext = api.calls.filter((call) => call.taskId === 'next');
    // Now it waits until tasks like it have been seen to finish (about 50 s).
    expect(callsForNext[0]!.at - start).toBeGreaterThanOrEqual(49_000);
    expect(callsForNext.length).toBeLessThanOrEqual(5);
  });

  it('never exceeds the request-rate cap, however many tasks are due', async () => {
    const { clock, api, results, add } = setup({ maxRequestsPerSecond: 5 });
    for (let index = 0; index < 200; index++) add(`t${index}`, 20_000);
    await clock.advanceTo(120_000);
    expect(results.size).toBe(200);
    for (let second = 0; second < 120; second++) {
      const inWindow = api.calls.filter(
        (call) => call.at >= second * 1000 && call.at < (second + 1) * 1000,
      );
      expect(inWindow.length).toBeLessThanOrEqual(5);
    }
  });

  it('pauses every job after a 429 for as long as Retry-After says', async () => {
    const { clock, api, add } = setup();
    add('a', 100_000);
    add('b', 100_000);
    api.failures.push(
      new ApiError('rate_limited', 'slow down', { status: 429, retryAfterMs: 10_000 }),
    );
    await clock.advanceTo(13_000);
    const limitedAt = api.calls[0]!.at;
    await clock.advanceTo(40_000);
    const next = api.calls[1]!;
    expect(next.at - limitedAt).toBeGreaterThanOrEqual(10_000);
  });

  it('gives up at the deadline and reports the last error when errors were the reason', async () => {
    const { clock, api, results, add } = setup({ deadlineMs: 60_000 });
    add('never', Number.POSITIVE_INFINITY);
    await clock.advanceTo(70_000);
    expect(results.get('never')?.result).toEqual({ kind: 'gave_up', reason: 'deadline' });

    api.failures = Array.from(
      { length: 100 },
      () => new ApiError('server_error', 'boom', { status: 500 }),
    );
    api.finishAt.set('broken', 1);
    add('broken', 1);
    await clock.advanceTo(200_000);
    expect(results.get('broken')?.result).toMatchObject({
      kind: 'gave_up',
      reason: 'error',
      error: { kind: 'server_error' },
    });
  });

  it('stops at once for an unknown task', async () => {
    const { clock, api, results, add } = setup();
    api.failures.push(new ApiError('not_found', 'no such task', { status: 404 }));
    add('gone', 30_000);
    await clock.advanceTo(20_000);
    expect(results.get('gone')?.result).toMatchObject({
      kind: 'gave_up',
      reason: 'error',
      error: { kind: 'not_found' },
    });
    expect(api.calls).toHaveLength(1);
  });

  it('under a tight budget, spends its calls on the tasks likeliest to have finished', async () => {
    const { clock, api, poller } = setup({ maxRequestsPerSecond: 1 });
    await clock.advanceTo(200_000);
    const now = clock.now();
    // Young tasks first, so polling in order of arrival would serve them first; they are 13 s
    // old, where almost no task has finished. The old ones are 100 s old: most of those are done.
    for (let index = 0; index < 10; index++) {
      api.finishAt.set(`young-${index}`, Number.POSITIVE_INFINITY);
      poller.track({
        requestId: `young-${index}`,
        taskId: `young-${index}`,
        resolution: '1K',
        submittedAt: now - 13_000,
      });
    }
    for (let index = 0; index < 10; index++) {
      api.finishAt.set(`old-${index}`, now - 1_000);
      poller.track({
        requestId: `old-${index}`,
        taskId: `old-${index}`,
        resolution: '1K',
        submittedAt: now - 100_000,
      });
    }
    await clock.advanceTo(now + 15_000);
    const firstTen = api.calls.filter((call) => call.at > now).slice(0, 10);
    expect(firstTen).toHaveLength(10);
    expect(firstTen.every((call) => call.taskId.startsWith('old-'))).toBe(true);
    await poller.stop();
  });
});
