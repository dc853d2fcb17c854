import { afterEach, describe, expect, it } from 'vitest';
import { resolveApiLimits, type ApiTier } from '../src/core/api/limits.js';
import type { JobView } from '../src/core/types.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { eventually, makeRequest, startTestCore, type TestCore } from './helpers/core.js';
import type { RecordingDelivery } from './helpers/recording-delivery.js';
import { STORE_CASES } from './helpers/stores.js';

let sim: ImageApiSimulator | undefined;
let core: TestCore | undefined;

afterEach(async () => {
  await core?.close();
  core = undefined;
  await sim?.close();
  sim = undefined;
});

/** Tasks run until the test finishes them, so each step of the line can be looked at settled. */
const UNTIL_FINISHED = 600_000;

interface Setup {
  sim: ImageApiSimulator;
  core: TestCore;
}

async function setUp(tier: ApiTier, store: { url: string; prefix?: string }): Promise<Setup> {
  const limits = resolveApiLimits(tier);
  sim = await startImageApiSimulator({
    activeTaskLimit: limits.activeTasks,
    taskDurationMs: UNTIL_FINISHED,
  });
  core = await startTestCore({
    apiUrl: sim.url,
    storeUrl: store.url,
    ...(store.prefix ? { storePrefix: store.prefix } : {}),
    service: { apiLimits: limits },
  });
  return { sim, core };
}

/** Each job's latest view, as the people waiting see their messages now. */
function latestViews(delivery: RecordingDelivery): Map<string, JobView> {
  const latest = new Map<string, JobView>();
  for (const entry of delivery.shown) latest.set(entry.requestId, entry.view);
  return latest;
}

/** Resolves once `running` jobs show they are generating and the waiting ones show 1..N in arrival order. */
async function settled(delivery: RecordingDelivery, ids: string[], running: number) {
  return delivery
    .waitFor(
      () => {
        const latest = latestViews(delivery);
        const generating = ids.filter((id) => latest.get(id)?.kind === 'generating');
        const waiting = ids.filter((id) => latest.get(id)?.kind === 'queued');
        const positions = waiting.map((id) => (latest.get(id) as { position: number }).position);
        const ordered = positions.every((position, index) => position === index + 1);
        const accounted = generating.length + waiting.length === ids.length;
        return accounted && generating.length === running && ordered ? positions : undefined;
      },
      10_000,
      `${running} generating and the rest showing 1..N`,
    )
    .catch((error: unknown) => {
      const latest = latestViews(delivery);
      const seen = ids.map((id) => JSON.stringify(latest.get(id) ?? null)).join(', ');
      throw new Error(`${(error as Error).message}; latest views: ${seen}`);
    });
}

function queuedPositions(delivery: RecordingDelivery, requestId: string): number[] {
  return delivery
    .viewsOf(requestId)
    .flatMap((view) => (view.kind === 'queued' ? [Number(view.position)] : []));
}

/** Resolves once the API has this many tasks running; it never has more than the slots. */
async function tasksRunning(api: ImageApiSimulator, count: number, timeoutMs = 10_000) {
  await eventually(
    () => Promise.resolve(api.stats().taskStates.waiting === count ? true : undefined),
    timeoutMs,
    `${count} tasks running at the API`,
  );
}

/** Finishes the running task created first, as the API would. */
function finishOldestRunning(api: ImageApiSimulator): void {
  const task = [...api.tasks.values()].find((entry) => api.taskState(entry.taskId) === 'waiting');
  api.finishTask(task!.taskId, 'success');
}

const CASES = STORE_CASES.filter((entry) => entry.name !== 'sqlite');

describe.each(CASES)('the line for the API’s task slots, $name store', (storeCase) => {
  for (const [tier, people] of [
    ['free', 6],
    ['basic', 12],
  ] as const) {
    it(`${tier} tier: ${people} people at once, never a 409, each shown a place that only moves up`, async () => {
      const { sim: api, core: bot } = await setUp(tier, storeCase.fresh());
      const slots = resolveApiLimits(tier).activeTasks;
      const requests = Array.from({ length: people }, (_, index) =>
        makeRequest({ user: { key: `test:person${index}`, displayName: `Person ${index}` } }),
      );
      const ids = requests.map((request) => request.requestId);
      for (const request of requests) await bot.service.request(request);

      for (let finished = 0; finished < people; finished++) {
        const waitingCount = Math.max(0, people - finished - slots);
        const positions = await settled(
          bot.delivery,
          ids.slice(finished),
          people - finished - waitingCount,
        );
        // No two waiting people are shown the same place.
        expect(positions).toEqual(Array.from({ length: waitingCount }, (_, index) => index + 1));
        await tasksRunning(api, people - finished - waitingCount);
        finishOldestRunning(api);
        await bot.delivery.waitForFinal(ids[finished]!);
      }

      expect(api.activeTaskRefusals).toBe(0);
      expect(api.createdTaskCount).toBe(people);
      expect(bot.delivery.finals().map((entry) => entry.requestId)).toEqual(ids);
      // Everyone beyond the free slots was first told their place (1..N in arrival order), and it only went down.
      ids.slice(slots).forEach((id, index) => {
        const shown = queuedPositions(bot.delivery, id);
        expect(shown[0]).toBe(index + 1);
        expect(shown).toEqual([...shown].sort((a, b) => b - a));
        expect(new Set(shown).size).toBe(shown.length);
      });
    });
  }

  it("one person's burst does not hold up others: their later jobs wait behind everyone's first", async () => {
    const { sim: api, core: bot } = await setUp('basic', storeCase.fresh());
    const burst = Array.from({ length: 7 }, () =>
      makeRequest({ user: { key: 'test:burst', displayName: 'Burst' } }),
    );
    const others = Array.from({ length: 5 }, (_, index) =>
      makeRequest({ user: { key: `test:other${index}`, displayName: `Other ${index}` } }),
    );
    for (const request of [...burst, ...others]) await bot.service.request(request);
    const all = [...burst, ...others];
    for (let finished = 0; finished < all.length; finished++) {
      await tasksRunning(api, Math.min(5, all.length - finished));
      finishOldestRunning(api);
    }
    await Promise.all(all.map((request) => bot.delivery.waitForFinal(request.requestId)));

    const userOf = new Map(all.map((request) => [request.requestId, request.user.key]));
    const created = [...api.tasks.values()].map((task) => userOf.get(task.requestId!));
    // Five slots: the burst takes them all by arriving first. Each finished burst task then
    // frees a slot for the next other person, not for the burst, until the burst holds none:
    // its next job is then a first job again, which arrived before Other 4's.
    expect(created).toEqual([
      ...Array.from({ length: 5 }, () => 'test:burst'),
      ...others.slice(0, 4).map((request) => request.user.key),
      'test:burst',
      others[4]!.user.key,
      'test:burst',
    ]);
    expect(api.activeTaskRefusals).toBe(0);
  });

  it('a 409 from something else on the key is ridden out: the job waits its turn and is delivered', async () => {
    const { sim: api, core: bot } = await setUp('free', storeCase.fresh());
    // Another client of the same key holds the only slot.
    const outsider = await fetch(`${api.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk-test-0123456789abcdef',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'gpt-image-2-text-to-image',
        input: { prompt: 'someone else' },
      }),
    });
    const outsiderTask = ((await outsider.json()) as { data: { taskId: string } }).data.taskId;
    const request = makeRequest();
    await bot.service.request(request);
    await bot.delivery.waitFor(
      () => (queuedPositions(bot.delivery, request.requestId).includes(1) ? true : undefined),
      10_000,
      'the refused job to show its place',
    );
    expect(api.activeTaskRefusals).toBeGreaterThan(0);
    api.finishTask(outsiderTask, 'success');
    await tasksRunning(api, 1, 40_000);
    finishOldestRunning(api);
    expect((await bot.delivery.waitForFinal(request.requestId)).kind).toBe('done');
  }, 60_000);
});

describe('after a restart on the embedded store', () => {
  it('jobs waiting for a slot keep their place, and the running task keeps its slot', async () => {
    const location = STORE_CASES.find((entry) => entry.name === 'sqlite')!.fresh();
    const { sim: api, core: before } = await setUp('free', location);
    const person = (name: string) => ({ key: `test:${name}`, displayName: name });
    // Ids that sort against arrival, so only the arrival time can put them back in order.
    const [ann, bob, cat] = ['ann', 'bob', 'cat'].map((name, index) =>
      makeRequest({ user: person(name), requestId: `restart-${9 - index}-${Date.now()}` }),
    );
    for (const request of [ann!, bob!, cat!]) {
      await before.service.request(request);
      // Arrival is kept to the millisecond and a tie goes by id, which these ids sort against.
      const arrived = Date.now();
      while (Date.now() <= arrived) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await settled(
      before.delivery,
      [ann!, bob!, cat!].map((request) => request.requestId),
      1,
    );
    await tasksRunning(api, 1);
    await before.close();
    core = undefined;

    core = await startTestCore({
      apiUrl: api.url,
      storeUrl: location.url,
      service: { apiLimits: resolveApiLimits('free') },
    });
    const dan = makeRequest({ user: person('dan') });
    await core.service.request(dan);
    const ids = [ann!, bob!, cat!, dan].map((request) => request.requestId);
    // The resumed task still holds the only slot; the others wait in their order of arrival.
    await core.delivery.waitFor(
      () => {
        const latest = latestViews(core!.delivery);
        const places = ids.slice(1).map((id) => latest.get(id));
        return places.every((view, index) => view?.kind === 'queued' && view.position === index + 1)
          ? true
          : undefined;
      },
      10_000,
      'Bob, Cat and Dan at places 1, 2 and 3',
    );
    for (let finished = 0; finished < ids.length; finished++) {
      await tasksRunning(api, 1);
      finishOldestRunning(api);
      await core.delivery.waitForFinal(ids[finished]!);
    }
    expect([...api.tasks.values()].map((task) => task.requestId)).toEqual(ids);
    expect(api.activeTaskRefusals).toBe(0);
  });
});
