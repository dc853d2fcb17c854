import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/core/clock.js';
import type { PoolCharge } from '../src/core/types.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { makeRequest, startTestCore, type TestCore } from './helpers/core.js';
import { RecordingDelivery } from './helpers/recording-delivery.js';
import { STORE_CASES } from './helpers/stores.js';

let sim: ImageApiSimulator;
let core: TestCore | undefined;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 150 });
});

afterEach(async () => {
  await core?.close();
  core = undefined;
  await sim.close();
});

const SERVER: PoolCharge[] = [
  { pool: 'server:discord:G1', period: 'day', limit: 5 },
  { pool: 'server:discord:G1', period: 'month', limit: 50 },
];

const poolsLeft = async (service: TestCore['service'], pools = SERVER) =>
  (await service.status('test:anyone', pools)).pools.map((pool) => pool.remaining);

describe.each(STORE_CASES)('credit pools through the core, with the $name store', (storeCase) => {
  const storeOf = () => {
    const location = storeCase.fresh();
    return { storeUrl: location.url, ...(location.prefix ? { storePrefix: location.prefix } : {}) };
  };

  it('50 simultaneous requests from 50 people against a server pool of 5 create exactly 5 tasks', async () => {
    core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 10 });
    const service = core.service;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        service
          .request({
            ...makeRequest({ user: { key: `test:u${index}`, displayName: `U${index}` } }),
            pools: SERVER,
          })
          .then(
            ({ job }) => ({ accepted: job.requestId }),
            (error: { code?: string }) => ({ refused: error.code }),
          ),
      ),
    );
    const accepted = answers.flatMap((answer) => ('accepted' in answer ? [answer.accepted] : []));
    expect(accepted).toHaveLength(5);
    expect(
      new Set(answers.flatMap((answer) => ('refused' in answer ? [answer.refused] : []))),
    ).toEqual(new Set(['server_daily_exhausted']));
    for (const requestId of accepted)
      expect((await core.delivery.waitForFinal(requestId)).kind).toBe('done');
    expect(sim.createdTaskCount).toBe(5);
    expect(await poolsLeft(service)).toEqual([0, 45]);
    // The preflight says the same without holding anything.
    await expect(
      service.preflight('test:late', {
        prompt: 'a fox',
        options: { resolution: '1K', private: false },
        pools: SERVER,
      }),
    ).rejects.toMatchObject({ code: 'server_daily_exhausted' });
  });

  it('a failed generation returns its credits to the user and every pool, exactly', async () => {
    core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 10 });
    const request = {
      ...makeRequest({ prompt: 'something [fail] prone', options: { resolution: '2K' } }),
      pools: SERVER,
    };
    const { job } = await core.service.request(request);
    expect(job.pools).toEqual(SERVER);
    expect(await poolsLeft(core.service)).toEqual([3, 48]);
    const final = await core.delivery.waitForFinal(request.requestId);
    expect(final).toMatchObject({ kind: 'failed', code: 'generation_failed', refunded: true });
    expect(await poolsLeft(core.service)).toEqual([5, 50]);
    expect((await core.service.status('test:alice')).remaining).toBe(10);
  });

  it.skipIf(storeCase.name === 'memory')(
    'after a restart, the job record says which pools to refund: the new process refunds them without being told',
    async () => {
      sim.setTaskDuration(800);
      const location = storeOf();
      const delivery = new RecordingDelivery();
      const first = await startTestCore({ ...location, apiUrl: sim.url, delivery });
      const request = { ...makeRequest({ prompt: 'a [fail] at the end' }), pools: SERVER };
      await first.service.request(request);
      await delivery.waitFor(() =>
        delivery.viewsOf(request.requestId).find((view) => view.kind === 'generating'),
      );
      expect(await poolsLeft(first.service)).toEqual([4, 49]);
      await first.close(); // the process goes away mid-generation

      core = await startTestCore({ ...location, apiUrl: sim.url, delivery });
      expect(await delivery.waitForFinal(request.requestId)).toMatchObject({
        kind: 'failed',
        refunded: true,
      });
      expect(await poolsLeft(core.service)).toEqual([5, 50]);
      expect(sim.createdTaskCount).toBe(1);
    },
  );
});

describe('a server pool across the month boundary, on a controlled clock', () => {
  it("refuses on the month's last minute and accepts again once the UTC month has turned", async () => {
    // Real timers for the poller, with the calendar set where the test wants it.
    let shiftMs = Date.parse('2026-12-31T23:58:00Z') - Date.now();
    const clock: Clock = { ...systemClock, now: () => Date.now() + shiftMs };
    core = await startTestCore({ apiUrl: sim.url, service: { clock } });
    const month: PoolCharge[] = [{ pool: 'server:slack:T1', period: 'month', limit: 2 }];
    const ask = () => core!.service.request({ ...makeRequest(), pools: month });

    for (const request of [await ask(), await ask()])
      expect((await core.delivery.waitForFinal(request.job.requestId)).kind).toBe('done');
    const refusal = await ask().then(
      () => new Error('accepted'),
      (error: Error) => error,
    );
    expect(refusal).toMatchObject({ code: 'server_monthly_exhausted' });
    expect(refusal.message).toMatch(/have 0 left this month\. They reset in \d+ min \(00:00 UTC\)/);

    shiftMs = Date.parse('2027-01-01T00:00:05Z') - Date.now();
    const { job } = await ask();
    expect((await core.delivery.waitForFinal(job.requestId)).kind).toBe('done');
    expect(await poolsLeft(core.service, month)).toEqual([1]);
    expect(sim.createdTaskCount).toBe(3);
  });
});
