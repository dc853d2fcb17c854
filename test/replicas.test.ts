import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageApiSimulator } from './fakes/image-api/index.js';
import { OwnRedis } from './helpers/own-redis.js';
import { ReplicaRig, type Replica, type ViewRecorder } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';
import { jobFinished } from './helpers/logged.js';

let rig: ReplicaRig;
let sim: ImageApiSimulator;
let recorder: ViewRecorder;

beforeEach(async () => {
  rig = await ReplicaRig.start({ taskDurationMs: 2_000 });
  ({ sim, recorder } = rig);
});

afterEach(() => rig.close());

function replica(extra: Record<string, string> = {}): Promise<Replica> {
  // At info, so a test can wait for a job to be recorded finished.
  return rig.replica({
    STORE_URL: REDIS_URL!,
    LOCK_DURATION_MS: '2000',
    LOG_LEVEL: 'info',
    ...extra,
  });
}

// Real processes on a machine that may be busy: starting them takes a while.
const TEST_TIMEOUT_MS = 90_000;

describe.skipIf(!REDIS_URL)('several replicas on one Redis', { timeout: TEST_TIMEOUT_MS }, () => {
  it('keep quotas exact: 50 simultaneous requests from one user over two processes with 5 credits create 5 tasks', async () => {
    sim.setTaskDuration(200);
    const [first, second] = await Promise.all([
      replica({ DAILY_CREDITS: '5' }),
      replica({ DAILY_CREDITS: '5' }),
    ]);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 === 0 ? first : second).request({
          requestId: `quota-${index}`,
          userKey: 'shared-user',
        }),
      ),
    );
    expect(answers.filter((answer) => answer.accepted)).toHaveLength(5);
    expect(
      new Set(answers.filter((answer) => !answer.accepted).map((answer) => answer.code)),
    ).toEqual(new Set(['quota_exhausted']));
    await recorder.waitFor(
      () => (recorder.finals().length === 5 ? true : undefined),
      20_000,
      'five results',
    );
    expect(sim.createdTaskCount).toBe(5);
  });

  it('never start a second job when the same interaction reaches both replicas', async () => {
    const [first, second] = await Promise.all([replica(), replica()]);
    const answers = await Promise.all([
      first.request({ requestId: 'same-interaction', userKey: 'u1' }),
      second.request({ requestId: 'same-interaction', userKey: 'u1' }),
    ]);
    expect(answers.filter((answer) => answer.duplicate === false)).toHaveLength(1);
    const final = await recorder.waitFor(
      () => recorder.finals('same-interaction')[0],
      20_000,
      'the result',
    );
    const deliverer = final.pid === first.pid ? first : second;
    await jobFinished(deliverer.output, 'same-interaction');
    expect(recorder.finals('same-interaction')).toHaveLength(1);
    expect(sim.createdTaskCount).toBe(1);
  });

  it("hand a killed replica's job to the survivor, which delivers it exactly once with one task", async () => {
    sim.setTaskDuration(4_000);
    const [first, second] = await Promise.all([replica(), replica()]);
    await first.request({ requestId: 'survives-kill', userKey: 'u1' });
    const working = await recorder.waitFor(
      () =>
        recorder.views.find(
          (entry) => entry.requestId === 'survives-kill' && entry.view.kind === 'generating',
        ),
      10_000,
      'a replica to start working the job',
    );
    const [victim, survivor] = working.pid === first.pid ? [first, second] : [second, first];
    await victim.kill('SIGKILL');

    const final = await recorder.waitFor(
      () => recorder.finals('survives-kill')[0],
      30_000,
      'the result',
    );
    expect(final.view.kind).toBe('done');
    expect(final.pid).toBe(survivor.pid);
    await jobFinished(survivor.output, 'survives-kill');
    expect(recorder.finals('survives-kill')).toHaveLength(1);
    expect(sim.createdTaskCount).toBe(1);
  });

  it('on SIGTERM hand their jobs straight to another replica and exit within 10 s', async () => {
    sim.setTaskDuration(4_000);
    // A long lock: only an explicit hand-back, not lock expiry, can move the job quickly.
    const [first, second] = await Promise.all([
      replica({ LOCK_DURATION_MS: '60000' }),
      replica({ LOCK_DURATION_MS: '60000' }),
    ]);
    await first.request({ requestId: 'graceful', userKey: 'u1' });
    const working = await recorder.waitFor(
      () =>
        recorder.views.find(
          (entry) => entry.requestId === 'graceful' && entry.view.kind === 'generating',
        ),
      10_000,
      'a replica to start working the job',
    );
    const [leaving, staying] = working.pid === first.pid ? [first, second] : [second, first];
    const stopStarted = Date.now();
    await leaving.kill('SIGTERM');
    expect(Date.now() - stopStarted).toBeLessThan(10_000);
    const final = await recorder.waitFor(
      () => recorder.finals('graceful')[0],
      15_000,
      'the result',
    );
    expect(final).toMatchObject({ pid: staying.pid, view: { kind: 'done' } });
    expect(sim.createdTaskCount).toBe(1);
  });

  it('pick up the job of the only process after it is killed and started again', async () => {
    sim.setTaskDuration(3_000);
    const only = await replica();
    await only.request({ requestId: 'restarted', userKey: 'u1' });
    await recorder.waitFor(
      () =>
        recorder.views.find(
          (entry) => entry.requestId === 'restarted' && entry.view.kind === 'generating',
        ),
      10_000,
      'the job to start',
    );
    await only.kill('SIGKILL');
    const again = await replica();
    const final = await recorder.waitFor(
      () => recorder.finals('restarted')[0],
      30_000,
      'the result',
    );
    expect(final).toMatchObject({ pid: again.pid, view: { kind: 'done' } });
    expect(sim.createdTaskCount).toBe(1);
  });
});

describe.skipIf(!REDIS_URL)('a Redis restart', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: OwnRedis | undefined;
  afterEach(async () => {
    await redis?.close();
    redis = undefined;
  });

  it('is ridden out: the bot reconnects and the job in flight is still delivered once', async () => {
    sim.setTaskDuration(3_000);
    redis = await OwnRedis.start();
    const bot = await replica({ STORE_URL: redis.url });
    await bot.request({ requestId: 'through-redis-restart', userKey: 'u1' });
    await recorder.waitFor(
      () =>
        recorder.views.find(
          (entry) =>
            entry.requestId === 'through-redis-restart' && entry.view.kind === 'generating',
        ),
      10_000,
      'the job to start',
    );
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.restart();
    const final = await recorder.waitFor(
      () => recorder.finals('through-redis-restart')[0],
      40_000,
      'the result',
    );
    expect(final.view.kind).toBe('done');
    await jobFinished(bot.output, 'through-redis-restart');
    expect(recorder.finals('through-redis-restart')).toHaveLength(1);
    expect(sim.createdTaskCount).toBe(1);
  });
});
