import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageApiClient } from '../src/core/api/client.js';
import { resolveApiLimits, TIER_LIMITS, type ApiLimits } from '../src/core/api/limits.js';
import { BudgetGate, type ApiBudget, type WindowBackend } from '../src/core/budget/api-budget.js';
import { LocalWindows } from '../src/core/budget/local-windows.js';
import { RedisWindows } from '../src/storage/redis/budget-windows.js';
import { fixedPollSchedule, type PollScheduleSettings } from '../src/core/poll-schedule.js';
import { Poller } from '../src/core/poller.js';
import { createMetrics } from '../src/http/metrics.js';
import { createLogger } from '../src/log.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import {
  eventually,
  FAST_SCHEDULE,
  makeRequest,
  startTestCore,
  TEST_KEY,
  type TestCore,
} from './helpers/core.js';
import { REDIS_URL } from './helpers/stores.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function simulator(limits: ApiLimits | 'free', taskDurationMs: number) {
  const sim = await startImageApiSimulator({ limits, taskDurationMs });
  cleanups.push(() => sim.close());
  return sim;
}

function logLines() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { lines, logger };
}

async function core(sim: ImageApiSimulator, budget: ApiBudget, schedule: PollScheduleSettings) {
  const started: TestCore = await startTestCore({
    apiUrl: sim.url,
    service: {
      budget,
      poller: { schedule, deadlineMs: 120_000, errorBackoff: { baseMs: 20, capMs: 200 } },
    },
  });
  cleanups.push(() => started.close());
  return started;
}

/** Six people ask at the same moment; resolves with what each of them was finally shown. */
async function sixAtOnce(testCore: TestCore) {
  const requests = Array.from({ length: 6 }, (_, index) =>
    makeRequest({ user: { key: `test:person-${index}`, displayName: `Person ${index}` } }),
  );
  await Promise.all(requests.map((request) => testCore.service.request(request)));
  return Promise.all(
    requests.map((request) => testCore.delivery.waitForFinal(request.requestId, 90_000)),
  );
}

function rateLimitedCount(sim: ImageApiSimulator): number {
  const refused = sim.stats().rateLimited!;
  return refused.createTask + refused.recordInfo;
}

function expectWithinWindows(sim: ImageApiSimulator, limits: ApiLimits) {
  for (const endpoint of ['createTask', 'recordInfo'] as const) {
    expect(sim.maxArrivalsInWindow(endpoint, 1_000)).toBeLessThanOrEqual(
      limits[endpoint].perSecond,
    );
    expect(sim.maxArrivalsInWindow(endpoint, 60_000)).toBeLessThanOrEqual(
      limits[endpoint].perMinute,
    );
  }
}

describe('API tiers, end to end against a fake that enforces them', () => {
  it('free tier, one process, six people at once: every image delivered, not one 429', async () => {
    const sim = await simulator('free', 300);
    const budget = new BudgetGate({
      limits: resolveApiLimits('free'),
      backend: new LocalWindows(),
    });
    cleanups.push(() => budget.close());
    const testCore = await core(sim, budget, FAST_SCHEDULE);
    const views = await sixAtOnce(testCore);
    expect(views.map((view) => view.kind)).toEqual(Array(6).fill('done'));
    expect(rateLimitedCount(sim)).toBe(0);
    expectWithinWindows(sim, TIER_LIMITS.free);
  }, 120_000);

  it('told basic while the key is free: one 429 lowers the budget, one log line, all delivered', async () => {
    const sim = await simulator('free', 300);
    const { lines, logger } = logLines();
    const budget = new BudgetGate({
      limits: resolveApiLimits('basic'),
      backend: new LocalWindows(),
      logger,
    });
    cleanups.push(() => budget.close());
    // The first poll comes after the second createTask, so the first 429 is that createTask's.
    const testCore = await core(sim, budget, {
      ...FAST_SCHEDULE,
      priorDurationMs: { early: 1_500, late: 5_000 },
    });
    const views = await sixAtOnce(testCore);
    expect(views.map((view) => view.kind)).toEqual(Array(6).fill('done'));
    expect(rateLimitedCount(sim)).toBe(1);
    expect(budget.limits).toEqual(TIER_LIMITS.free);
    expect(testCore.service.apiLimits.activeTasks).toBe(1);
    const warnings = lines.filter((line) => line.includes('API_TIER'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('API_TIER is basic');
    expect(warnings[0]).toContain('set API_TIER=free');
    // The operator's dashboard shows the budget the bot now keeps to.
    const metrics = createMetrics();
    metrics.watch(testCore.service);
    expect(await metrics.registry.metrics()).toContain(
      'gib_api_budget_limit{endpoint="createTask",window="60s"} 10',
    );
  }, 120_000);
});

/** Counts the times the limiter said "not yet" after a given moment, so a test can wait for it. */
class CountingWindows implements WindowBackend {
  refusals = 0;

  constructor(private readonly inner: WindowBackend) {}

  get maxSleepMs() {
    return this.inner.maxSleepMs;
  }

  async take(...args: Parameters<WindowBackend['take']>) {
    const wait = await this.inner.take(...args);
    if (wait > 0) this.refusals++;
    return wait;
  }

  settle(...args: Parameters<WindowBackend['settle']>) {
    return this.inner.settle(...args);
  }

  pause(...args: Parameters<WindowBackend['pause']>) {
    return this.inner.pause(...args);
  }

  lower(...args: Parameters<WindowBackend['lower']>) {
    return this.inner.lower(...args);
  }

  lowered(...args: Parameters<WindowBackend['lowered']>) {
    return this.inner.lowered(...args);
  }

  close() {
    return this.inner.close();
  }
}

/** Small numbers so both windows fill within seconds. */
const TIGHT: ApiLimits = {
  tier: 'free',
  createTask: { perSecond: 2, perMinute: 8 },
  recordInfo: { perSecond: 5, perMinute: 20 },
  activeTasks: 100,
};

/**
 * One replica: its own budget and client, creating tasks and polling them as fast as its budget
 * lets it, far more than the key allows.
 */
async function replica(sim: ImageApiSimulator, backend: WindowBackend) {
  const counting = new CountingWindows(backend);
  const budget = new BudgetGate({ limits: TIGHT, backend: counting });
  const api = new ImageApiClient({ baseUrl: sim.url, apiKey: TEST_KEY, timeoutMs: 5_000 });
  const poller = new Poller({
    api,
    budget,
    schedule: fixedPollSchedule(50),
    onProgress: () => undefined,
    onResult: () => undefined,
  });
  cleanups.push(async () => {
    await poller.stop();
    await budget.close();
    await api.close();
  });
  for (let index = 0; index < 12; index++) {
    const requestId = `tight-${randomBytes(6).toString('hex')}`;
    api.createTask({ prompt: 'a fox', options: { resolution: '1K' } }, { requestId, budget }).then(
      (taskId) => poller.track({ requestId, taskId, resolution: '1K', submittedAt: Date.now() }),
      () => undefined,
    );
  }
  return counting;
}

async function untilBothWindowsFull(sim: ImageApiSimulator, replicas: CountingWindows[]) {
  const deadline = Date.now() + 30_000;
  let refusalsWhenFull: number[] | undefined;
  for (;;) {
    const full =
      sim.arrivals('createTask').length >= TIGHT.createTask.perMinute &&
      sim.arrivals('recordInfo').length >= TIGHT.recordInfo.perMinute;
    if (full) refusalsWhenFull ??= replicas.map((entry) => entry.refusals);
    // Every replica has since been told "not yet" while it still wanted to call.
    if (refusalsWhenFull?.every((count, index) => replicas[index]!.refusals > count)) return;
    if (Date.now() > deadline) throw new Error('the windows never filled');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the rate limiter, measured at the fake API', () => {
  it('one process: never more than the cap in any sliding second or minute', async () => {
    const sim = await simulator(TIGHT, 10_000);
    const one = await replica(sim, new LocalWindows());
    await untilBothWindowsFull(sim, [one]);
    expectWithinWindows(sim, TIGHT);
    expect(sim.arrivals('createTask')).toHaveLength(TIGHT.createTask.perMinute);
    expect(rateLimitedCount(sim)).toBe(0);
  }, 60_000);

  it.skipIf(!REDIS_URL)(
    'two replicas sharing Redis: one budget between them, never more than the cap',
    async () => {
      const sim = await simulator(TIGHT, 10_000);
      const prefix = `test-budget-${randomBytes(6).toString('hex')}:`;
      const connections = [new Redis(REDIS_URL!), new Redis(REDIS_URL!)];
      cleanups.push(() => Promise.all(connections.map((redis) => redis.quit())));
      const replicas = await Promise.all(
        connections.map((redis) => replica(sim, new RedisWindows(redis, { prefix }))),
      );
      await untilBothWindowsFull(sim, replicas);
      expectWithinWindows(sim, TIGHT);
      expect(sim.arrivals('createTask')).toHaveLength(TIGHT.createTask.perMinute);
      expect(rateLimitedCount(sim)).toBe(0);
    },
    60_000,
  );

  it.skipIf(!REDIS_URL)(
    'a tier one replica learned from a 429 is taken up by the others',
    async () => {
      const prefix = `test-budget-${randomBytes(6).toString('hex')}:`;
      const connections = [new Redis(REDIS_URL!), new Redis(REDIS_URL!)];
      cleanups.push(() => Promise.all(connections.map((redis) => redis.quit())));
      const [first, second] = connections.map(
        (redis) =>
          new BudgetGate({
            limits: resolveApiLimits('basic'),
            backend: new RedisWindows(redis, { prefix }),
          }),
      );
      first!.rateLimited('createTask', { tier: 'free', limit: 1, windowSeconds: 1 });
      expect(first!.limits).toEqual(TIER_LIMITS.free);
      await eventually(
        async () =>
          (await connections[0]!.hget(`${prefix}api-budget:lowered`, 'tierRank')) ?? undefined,
        5_000,
        'the lowered tier to reach Redis',
      );
      const permit = await second!.acquire('recordInfo');
      permit.release(false);
      expect(second!.limits).toEqual(TIER_LIMITS.free);
      await Promise.all([first!.close(), second!.close()]);
    },
  );
});
