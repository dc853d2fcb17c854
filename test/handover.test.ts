/**
 * Hand-over between processes on Redis, with the production job-engine settings: a replica that
 * is stopped (SIGTERM, as a rolling deploy does) or killed (SIGKILL, a crash) leaves its jobs to
 * another replica or to the next start, which delivers each exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplicaRig, type Replica } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

/** What the issue promises an operator; the timing goals proper are measured by the bench. */
const GRACEFUL_EXIT_MS = 10_000;
const CARRIES_ON_WITHIN_MS = 5_000;
const CRASH_TAKEOVER_MS = 15_000;

let rig: ReplicaRig;

beforeEach(async () => {
  // Long tasks: each test decides when its task finishes.
  rig = await ReplicaRig.start({ taskDurationMs: 10 * 60_000 });
});
afterEach(() => rig.close());

/** No LOCK_DURATION_MS: the job engine's own lock and stalled-job settings. */
function replica(): Promise<Replica> {
  return rig.replica({ STORE_URL: REDIS_URL!, LOG_LEVEL: 'info' });
}

async function startJob(on: Replica, requestId: string): Promise<number> {
  await on.request({ requestId, userKey: 'u1' });
  return (await rig.working(requestId)).pid;
}

/** The next recordInfo call gets no answer; resolves once a call is hanging. */
async function hangNextRecordInfo(): Promise<void> {
  rig.sim.inject({ endpoint: 'recordInfo', kind: { type: 'hang' } });
  await rig.recorder.waitFor(
    () => (rig.sim.pendingFaults.length === 0 ? true : undefined),
    10_000,
    'a recordInfo call to hang',
  );
}

function finishTheTask(): void {
  const [task] = [...rig.sim.tasks.values()];
  rig.sim.finishTask(task!.taskId, 'success');
}

async function stopGracefully(
  leaving: Replica,
): Promise<{ code: number | null; tookMs: number; exitedAt: number }> {
  const startedAt = Date.now();
  await leaving.kill('SIGTERM');
  const { code } = await leaving.exited;
  return { code, tookMs: Date.now() - startedAt, exitedAt: Date.now() };
}

/** The job's result, shown by `by`; resolves when that process has also recorded it finished. */
async function deliveredOnceBy(by: Replica, requestId: string, withinMs: number) {
  const final = await rig.recorder.waitFor(
    () => rig.recorder.finals(requestId)[0],
    withinMs,
    'the result',
  );
  // Recorded as finished: from here on no process would work the job again.
  await rig.recorder.waitFor(
    () => (by.logs('job finished').length > 0 ? true : undefined),
    5_000,
    'the job to be recorded finished',
  );
  expect(final).toMatchObject({ pid: by.pid, view: { kind: 'done' } });
  expect(rig.recorder.finals(requestId)).toHaveLength(1);
  expect(rig.sim.createdTaskCount).toBe(1);
}

// Real processes on a machine that may be busy: starting them takes a while.
const TEST_TIMEOUT_MS = 90_000;

describe.skipIf(!REDIS_URL)(
  'SIGTERM with a recordInfo call in flight',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    it('one process: exits with 0 within 10 s, and the next start delivers the job within 5 s, once', async () => {
      const only = await replica();
      await startJob(only, 'term-alone');
      await hangNextRecordInfo();
      finishTheTask();

      const stop = await stopGracefully(only);
      expect(stop.code).toBe(0);
      expect(stop.tookMs).toBeLessThan(GRACEFUL_EXIT_MS);
      expect(only.logs('shutdown took too long')).toEqual([]);

      const next = await replica();
      const readyAt = Date.now();
      await deliveredOnceBy(next, 'term-alone', CARRIES_ON_WITHIN_MS);
      expect(rig.recorder.finals('term-alone')[0]!.pid).toBe(next.pid);
      expect(Date.now() - readyAt).toBeLessThan(CARRIES_ON_WITHIN_MS + 5_000);
    });

    it('two replicas: the stopped one exits with 0 within 10 s, the other delivers within 5 s, once', async () => {
      const [first, second] = await Promise.all([replica(), replica()]);
      const workerPid = await startJob(first, 'term-pair');
      const [leaving, staying] = workerPid === first.pid ? [first, second] : [second, first];
      await hangNextRecordInfo();
      finishTheTask();

      const stop = await stopGracefully(leaving);
      expect(stop.code).toBe(0);
      expect(stop.tookMs).toBeLessThan(GRACEFUL_EXIT_MS);
      // The lock (8 s) has not lapsed by then: only the explicit hand-back can move the job this fast.
      await deliveredOnceBy(staying, 'term-pair', CARRIES_ON_WITHIN_MS);
      expect(Date.now() - stop.exitedAt).toBeLessThan(CARRIES_ON_WITHIN_MS + 5_000);
    });
  },
);

describe.skipIf(!REDIS_URL)(
  'SIGTERM with a createTask call in flight',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    it('exits with 0 within 10 s; the next start sends the same request again and delivers once, with one task', async () => {
      rig.sim.setTaskDuration(500);
      rig.sim.inject({ endpoint: 'createTask', kind: { type: 'hang' } });
      const only = await replica();
      await only.request({ requestId: 'term-creating', userKey: 'u1' });
      await rig.recorder.waitFor(
        () => (rig.sim.pendingFaults.length === 0 ? true : undefined),
        10_000,
        'the createTask call to hang',
      );

      const stop = await stopGracefully(only);
      expect(stop.code).toBe(0);
      expect(stop.tookMs).toBeLessThan(GRACEFUL_EXIT_MS);
      expect(rig.sim.createdTaskCount).toBe(0);

      const next = await replica();
      await deliveredOnceBy(next, 'term-creating', CARRIES_ON_WITHIN_MS + 5_000);
    });
  },
);

describe.skipIf(!REDIS_URL)('SIGKILL', { timeout: TEST_TIMEOUT_MS }, () => {
  it("a killed replica's job resumes on the other within 15 s and is delivered once", async () => {
    const [first, second] = await Promise.all([replica(), replica()]);
    const workerPid = await startJob(first, 'killed');
    const [victim, survivor] = workerPid === first.pid ? [first, second] : [second, first];

    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    await rig.recorder.waitFor(
      () =>
        rig.recorder.views.find(
          (entry) => entry.requestId === 'killed' && entry.pid === survivor.pid,
        ),
      CRASH_TAKEOVER_MS + 15_000,
      'the survivor to take the job over',
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(CRASH_TAKEOVER_MS);

    finishTheTask();
    await deliveredOnceBy(survivor, 'killed', 10_000);
  });
});
