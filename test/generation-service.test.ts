import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/core/types.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import {
  eventually,
  FAST_SCHEDULE,
  makeRequest,
  startTestCore,
  stateOf,
  TEST_KEY,
  type TestCore,
} from './helpers/core.js';
import { RecordingDelivery } from './helpers/recording-delivery.js';
import { STORE_CASES } from './helpers/stores.js';

/** For tests that reach the poller's deadline quickly: poll from the start, never slowly. */
const SHORT_TASK_SCHEDULE = {
  ...FAST_SCHEDULE,
  maxIntervalMs: 100,
  priorDurationMs: { early: 10, late: 100 },
};

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

const createCalls = () => sim.requests.filter((request) => request.endpoint === 'createTask');

describe.each(STORE_CASES)('with the $name store', (storeCase) => {
  const storeOf = () => {
    const location = storeCase.fresh();
    return { storeUrl: location.url, ...(location.prefix ? { storePrefix: location.prefix } : {}) };
  };

  describe('a generation, end to end through the core', () => {
    it('delivers the finished image URL and commits the credits', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 10 });
      const request = makeRequest({ options: { resolution: '2K', aspectRatio: '16:9' } });
      const { job, duplicate } = await core.service.request(request);
      expect(duplicate).toBe(false);
      expect(job.state).toBe('queued');

      const final = await core.delivery.waitForFinal(request.requestId);
      expect(final.kind).toBe('done');
      if (final.kind !== 'done') return;
      expect(final.imageUrls).toHaveLength(1);
      const image = await fetch(final.imageUrls[0]!);
      expect(image.headers.get('content-type')).toBe('image/png');

      // The API got exactly what the user asked for, keyed by the interaction's id.
      const [create] = createCalls();
      expect(create?.requestId).toBe(request.requestId);
      expect(create?.body).toMatchObject({
        model: 'gpt-image-2-text-to-image',
        input: { prompt: 'a red fox in the snow', resolution: '2K', aspect_ratio: '16:9' },
      });

      const status = await core.service.status('test:alice');
      expect(status.remaining).toBe(8);
      expect(status.activeJobIds).toEqual([]);
      expect(await stateOf(core, request.requestId, 'done')).toBe('done');
      expect((await core.service.history('test:alice')).map((entry) => entry.requestId)).toEqual([
        request.requestId,
      ]);
    });

    it('shows "generating" with elapsed time before the result', async () => {
      sim.setTaskDuration(400);
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url });
      const request = makeRequest();
      await core.service.request(request);
      await core.delivery.waitForFinal(request.requestId);
      const kinds = core.delivery.viewsOf(request.requestId).map((view) => view.kind);
      expect(kinds[0]).toBe('generating');
      expect(kinds.at(-1)).toBe('done');
      const elapsed = core.delivery
        .viewsOf(request.requestId)
        .flatMap((view) => (view.kind === 'generating' ? [view.elapsedMs] : []));
      expect(Math.max(...elapsed)).toBeGreaterThan(100);
    });

    it('shows the API failMsg and failCode when the task fails, and refunds the credits', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 5 });
      const request = makeRequest({
        prompt: 'something [fail] prone',
        options: { resolution: '4K' },
      });
      await core.service.request(request);
      const final = await core.delivery.waitForFinal(request.requestId);
      expect(final).toMatchObject({
        kind: 'failed',
        code: 'generation_failed',
        failCode: '400',
        failMsg: "Sorry, but the image we created may violate OpenAI's content policies.",
        refunded: true,
      });
      if (final.kind === 'failed') expect(final.message).toContain('may violate');
      expect((await core.service.status('test:alice')).remaining).toBe(5);
      expect(await stateOf(core, request.requestId, 'failed')).toBe('failed');
    });

    it('never starts a second job or task for the same request id (redelivered interaction, double click)', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 10 });
      const request = makeRequest();
      const results = await Promise.all([
        core.service.request(request),
        core.service.request(request),
        core.service.request(request),
      ]);
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      await core.delivery.waitForFinal(request.requestId);
      const again = await core.service.request(request);
      expect(again.duplicate).toBe(true);
      expect(sim.createdTaskCount).toBe(1);
      expect(core.delivery.finals(request.requestId)).toHaveLength(1);
      expect((await core.service.status('test:alice')).remaining).toBe(9);
    });

    it('refuses input the API would reject before spending anything', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url });
      await expect(core.service.request(makeRequest({ prompt: '   ' }))).rejects.toMatchObject({
        code: 'prompt_empty',
      });
      await expect(
        core.service.request(makeRequest({ prompt: 'x'.repeat(20_001) })),
      ).rejects.toMatchObject({ code: 'prompt_too_long' });
      await expect(
        core.service.request(makeRequest({ options: { aspectRatio: '5:7' as never } })),
      ).rejects.toMatchObject({ code: 'invalid_option' });
      expect(sim.requests).toHaveLength(0);
      expect((await core.service.status('test:alice')).used).toBe(0);
    });
  });

  describe('API errors reach the user as catalogued messages, with credits refunded', () => {
    const cases = [
      { status: 400, code: 'api_invalid_request', text: /rejected this request: Bad prompt/ },
      { status: 422, code: 'api_invalid_request', text: /rejected this request: Bad prompt/ },
      { status: 401, code: 'api_unavailable_for_operator', text: /bot operator has been told/ },
      { status: 402, code: 'api_out_of_credits', text: /run out of image credits/ },
    ] as const;
    for (const style of ['status', 'bodyCode'] as const) {
      for (const { status, code, text } of cases) {
        it(`createTask ${status} (${style === 'status' ? 'HTTP status' : 'HTTP 200 with body code'}) → ${code}, not retried`, async () => {
          core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 3 });
          sim.inject({
            endpoint: 'createTask',
            kind:
              style === 'status'
                ? { type: 'status', status, msg: 'Bad prompt' }
                : { type: 'bodyCode', code: status, msg: 'Bad prompt' },
          });
          const request = makeRequest();
          await core.service.request(request);
          const final = await core.delivery.waitForFinal(request.requestId);
          expect(final).toMatchObject({ kind: 'failed', code, refunded: true });
          if (final.kind === 'failed') expect(final.message).toMatch(text);
          expect(createCalls()).toHaveLength(1);
          expect(sim.createdTaskCount).toBe(0);
          expect((await core.service.status('test:alice')).remaining).toBe(3);
        });
      }
    }

    it('retries 500, 429 (honouring Retry-After), timeouts, HTML pages and resets with one X-Request-ID, creating one task', async () => {
      core = await startTestCore({
        ...storeOf(),
        apiUrl: sim.url,
        timeoutMs: 300,
        createRetry: { maxAttempts: 8, baseMs: 10, capMs: 50 },
      });
      sim.inject({ endpoint: 'createTask', kind: { type: 'status', status: 500 } });
      sim.inject({ endpoint: 'createTask', kind: { type: 'status', status: 429, retryAfter: 1 } });
      sim.inject({ endpoint: 'createTask', kind: { type: 'html', status: 502 } });
      sim.inject({ endpoint: 'createTask', kind: { type: 'hang' }, afterCreate: true });
      sim.inject({ endpoint: 'createTask', kind: { type: 'reset' }, afterCreate: true });
      sim.inject({ endpoint: 'createTask', kind: { type: 'truncated' } });
      const request = makeRequest();
      const started = Date.now();
      await core.service.request(request);
      const final = await core.delivery.waitForFinal(request.requestId, 15_000);
      expect(final.kind).toBe('done');
      const calls = createCalls();
      expect(calls.length).toBe(7);
      expect(new Set(calls.map((call) => call.requestId))).toEqual(new Set([request.requestId]));
      expect(sim.createdTaskCount).toBe(1);
      // The 429 said "retry after 1 s"; retrying sooner would only earn another 429.
      const after429 = calls[2]!.at - calls[1]!.at;
      expect(after429).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it('gives up after repeated 5xx with the "try again later" message and refunds', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 2 });
      sim.inject({ endpoint: 'createTask', times: 10, kind: { type: 'status', status: 503 } });
      const request = makeRequest();
      await core.service.request(request);
      const final = await core.delivery.waitForFinal(request.requestId);
      expect(final).toMatchObject({ kind: 'failed', code: 'api_unavailable', refunded: true });
      expect(createCalls()).toHaveLength(4);
      expect((await core.service.status('test:alice')).remaining).toBe(2);
    });

    it('keeps polling through recordInfo errors and rate limits, then delivers', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url });
      sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 500 } });
      sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 429, retryAfter: 1 } });
      sim.inject({ endpoint: 'recordInfo', kind: { type: 'truncated' } });
      sim.inject({ endpoint: 'recordInfo', kind: { type: 'html' } });
      const request = makeRequest();
      await core.service.request(request);
      expect((await core.delivery.waitForFinal(request.requestId)).kind).toBe('done');
    });

    it('fails with "lost track" when recordInfo says 404', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url });
      sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 404 } });
      const request = makeRequest();
      await core.service.request(request);
      expect(await core.delivery.waitForFinal(request.requestId)).toMatchObject({
        kind: 'failed',
        code: 'api_task_not_found',
      });
    });

    it('treats a success without readable result URLs as a malformed answer: polls on, and says so if it never clears', async () => {
      sim.setTaskDuration(0);
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 1 });
      sim.inject({ endpoint: 'recordInfo', times: 3, kind: { type: 'garbage-result' } });
      const recovered = makeRequest();
      await core.service.request(recovered);
      expect((await core.delivery.waitForFinal(recovered.requestId)).kind).toBe('done');

      const shortDeadline = await startTestCore({
        ...storeOf(),
        apiUrl: sim.url,
        service: {
          poller: {
            schedule: SHORT_TASK_SCHEDULE,
            deadlineMs: 800,
            errorBackoff: { baseMs: 20, capMs: 100 },
          },
        },
      });
      try {
        sim.inject({ endpoint: 'recordInfo', times: 1000, kind: { type: 'no-urls' } });
        const broken = makeRequest();
        await shortDeadline.service.request(broken);
        expect(await shortDeadline.delivery.waitForFinal(broken.requestId)).toMatchObject({
          kind: 'failed',
          code: 'api_malformed',
          refunded: true,
        });
      } finally {
        await shortDeadline.close();
      }
    });

    it('stops waiting at the deadline with a clear "timed out" result and refunds', async () => {
      sim.setTaskDuration(60_000);
      core = await startTestCore({
        ...storeOf(),
        apiUrl: sim.url,
        dailyCredits: 1,
        service: {
          poller: {
            schedule: SHORT_TASK_SCHEDULE,
            deadlineMs: 600,
          },
        },
      });
      const request = makeRequest();
      await core.service.request(request);
      const final = await core.delivery.waitForFinal(request.requestId);
      expect(final).toMatchObject({ kind: 'failed', code: 'generation_timed_out', refunded: true });
      expect((await core.service.status('test:alice')).remaining).toBe(1);
    });
  });

  describe('quotas', () => {
    it('50 simultaneous requests from one user with 5 credits left create exactly 5 tasks', async () => {
      core = await startTestCore({
        ...storeOf(),
        apiUrl: sim.url,
        dailyCredits: 5,
        maxActivePerUser: 100,
      });
      const requests = Array.from({ length: 50 }, () => makeRequest());
      const settled = await Promise.allSettled(
        requests.map((request) => core!.service.request(request)),
      );
      const accepted = settled.filter((result) => result.status === 'fulfilled');
      const refused = settled.flatMap((result) =>
        result.status === 'rejected' ? [result.reason as { code: string }] : [],
      );
      expect(accepted).toHaveLength(5);
      expect(refused).toHaveLength(45);
      expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['quota_exhausted']));
      await Promise.all(
        settled.flatMap((result) =>
          result.status === 'fulfilled'
            ? [core!.delivery.waitForFinal(result.value.job.requestId)]
            : [],
        ),
      );
      expect(sim.createdTaskCount).toBe(5);
      expect((await core.service.status('test:alice')).remaining).toBe(0);
    });

    it('tells the user how many credits they have and when they reset', async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 3 });
      const error = await core.service
        .request(makeRequest({ options: { resolution: '4K' } }))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'quota_exhausted' });
      expect((error as Error).message).toMatch(
        /costs 4 credits and you have 3 left today\. Your credits reset in .* \(00:00 UTC\)/,
      );
    });

    it('limits a user to MAX_ACTIVE_PER_USER generations in flight', async () => {
      sim.setTaskDuration(500);
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, maxActivePerUser: 2 });
      const first = makeRequest();
      await core.service.request(first);
      await core.service.request(makeRequest());
      await expect(core.service.request(makeRequest())).rejects.toMatchObject({
        code: 'too_many_active',
      });
      // Someone else is not affected.
      await core.service.request(makeRequest({ user: { key: 'test:bob', displayName: 'Bob' } }));
      await core.delivery.waitForFinal(first.requestId);
      await core.service.request(makeRequest());
      await eventually(
        async () => (sim.createdTaskCount === 4 ? true : undefined),
        5_000,
        'the fourth task',
      );
    });

    it("lets an admin change a user's daily credits", async () => {
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, dailyCredits: 1 });
      await core.service.quota.setDailyCredits('test:alice', 50);
      const status = await core.service.status('test:alice');
      expect(status.dailyCredits).toBe(50);
      expect(status.remaining).toBe(50);
      await core.service.request(makeRequest({ options: { resolution: '4K' } }));
      expect((await core.service.status('test:alice')).remaining).toBe(46);
    });
  });

  describe('409 active-task limit', () => {
    it('queues jobs locally with their place in line and submits them as capacity frees', async () => {
      await sim.close();
      // Long enough that the first task cannot finish before the others' 409s are back, even on a
      // busy machine (at 250 ms the last in line could skip straight to a slot, never shown a place).
      sim = await startImageApiSimulator({ taskDurationMs: 1_200, activeTaskLimit: 1 });
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url });
      const requests = Array.from({ length: 3 }, (_, index) =>
        makeRequest({ user: { key: `test:user${index}`, displayName: `User ${index}` } }),
      );
      for (const request of requests) await core.service.request(request);
      const finals = await Promise.all(
        requests.map((request) => core!.delivery.waitForFinal(request.requestId, 15_000)),
      );
      expect(finals.map((final) => final.kind)).toEqual(['done', 'done', 'done']);
      expect(sim.createdTaskCount).toBe(3);
      // The last in line was told its position while it waited.
      const positions = core.delivery
        .viewsOf(requests[2]!.requestId)
        .flatMap((view) => (view.kind === 'queued' ? [view.position] : []));
      expect(positions).toContain(1);
      expect(Math.max(...positions.map(Number))).toBeGreaterThanOrEqual(1);
      // Finished in arrival order: a queue, not a scramble.
      const doneOrder = core.delivery.finals().map((entry) => entry.requestId);
      expect(doneOrder).toEqual(requests.map((request) => request.requestId));
    });
  });

  describe('delivery', () => {
    it('retries a rate-limited delivery and shows the result once', async () => {
      const delivery = new RecordingDelivery();
      core = await startTestCore({ ...storeOf(), apiUrl: sim.url, delivery });
      const request = makeRequest();
      await core.service.request(request);
      await delivery.waitFor(() =>
        delivery.viewsOf(request.requestId).find((view) => view.kind === 'generating'),
      );
      delivery.failNext.push(new DeliveryError('RATE_LIMITED', 'slow down', 30));
      const final = await delivery.waitForFinal(request.requestId);
      expect(final.kind).toBe('done');
      expect(delivery.finals(request.requestId)).toHaveLength(1);
    });
  });

  describe.skipIf(storeCase.name === 'memory')('restart', () => {
    it('a second instance over the same SQLite file finishes a job the first one started, delivering once', async () => {
      sim.setTaskDuration(800);
      const location = storeOf();
      const delivery = new RecordingDelivery();
      const first = await startTestCore({
        ...location,
        apiUrl: sim.url,
        delivery,
        dailyCredits: 5,
      });
      const request = makeRequest();
      await first.service.request(request);
      await delivery.waitFor(() =>
        delivery.viewsOf(request.requestId).find((view) => view.kind === 'generating'),
      );
      await first.close(); // the process goes away mid-generation

      const second = await startTestCore({
        ...location,
        apiUrl: sim.url,
        delivery,
        dailyCredits: 5,
      });
      core = second;
      const final = await delivery.waitForFinal(request.requestId);
      expect(final.kind).toBe('done');
      // Recorded done once the delivery is over: nothing delivers it again after that.
      expect(await stateOf(second, request.requestId, 'done')).toBe('done');
      expect(delivery.finals(request.requestId)).toHaveLength(1);
      expect(sim.createdTaskCount).toBe(1);
      expect((await second.service.status('test:alice')).remaining).toBe(4);
    });

    it('re-sends createTask with the same X-Request-ID when the outcome of the first call is unknown', async () => {
      const location = storeOf();
      const delivery = new RecordingDelivery();
      const first = await startTestCore({ ...location, apiUrl: sim.url, delivery });
      // The API accepts the task but the answer never arrives, and the process dies meanwhile.
      sim.inject({ endpoint: 'createTask', kind: { type: 'hang' }, afterCreate: true });
      const request = makeRequest();
      await first.service.request(request);
      await delivery.waitFor(() => (sim.createdTaskCount === 1 ? true : undefined));
      await first.close();
      expect(
        (
          await (
            await import('../src/storage/open-store.js')
          )
            .openStore(location.storeUrl, { prefix: location.storePrefix ?? '' })
            .then(async (store) => {
              const job = await store.namespace<{ state: string }>('jobs').get(request.requestId);
              await store.close();
              return job;
            })
        )?.state,
      ).toBe('submitted');

      core = await startTestCore({ ...location, apiUrl: sim.url, delivery });
      expect((await delivery.waitForFinal(request.requestId)).kind).toBe('done');
      const calls = createCalls();
      expect(calls).toHaveLength(2);
      expect(
        calls.every(
          (call) =>
            call.requestId === request.requestId && call.authorization === `Bearer ${TEST_KEY}`,
        ),
      ).toBe(true);
      expect(sim.createdTaskCount).toBe(1);
      expect(delivery.finals(request.requestId)).toHaveLength(1);
    });
  });
});
