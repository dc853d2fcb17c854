import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fairOrder, type LineEntry } from '../src/core/queue/fair-order.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { startReplica, ViewRecorder, type RecordedView, type Replica } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

/** The basic tier's active-task limit, which the replicas assume by default. */
const SLOTS = 5;

let sim: ImageApiSimulator;
let recorder: ViewRecorder;
let replicas: Replica[] = [];
let prefix: string;

beforeEach(async () => {
  // Tasks run until the test finishes them, so every step of the line can be looked at settled.
  sim = await startImageApiSimulator({ activeTaskLimit: SLOTS, taskDurationMs: 600_000 });
  recorder = new ViewRecorder();
  await recorder.start();
  prefix = `fair-line-${randomBytes(5).toString('hex')}:`;
});

afterEach(async () => {
  await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
  replicas = [];
  await recorder.close();
  await sim.close();
});

function replica(): Promise<Replica> {
  return startReplica({
    STORE_URL: REDIS_URL!,
    STORE_PREFIX: prefix,
    API_URL: sim.url,
    RECORDER_URL: recorder.url,
    LOCK_DURATION_MS: '2000',
  }).then((started) => {
    replicas.push(started);
    return started;
  });
}

interface Job extends LineEntry {
  to: Replica;
}

/** Sends each job to its replica one after another, so arrival order is the order given. */
async function submit(jobs: Job[]): Promise<void> {
  for (const job of jobs) {
    const answer = await job.to.request({ requestId: job.requestId, userKey: job.userKey });
    expect(answer.accepted).toBe(true);
  }
}

function latest(views: readonly RecordedView[]): Map<string, RecordedView> {
  const byJob = new Map<string, RecordedView>();
  for (const entry of views) byJob.set(entry.requestId, entry);
  return byJob;
}

/**
 * Waits until the unfinished jobs show a settled line: the free slots all generating, and every
 * waiting person shown a distinct place, 1..N, in the fair order for who holds slots now.
 */
async function settledLine(jobs: Job[]): Promise<void> {
  let last = '';
  await recorder
    .waitFor(
      () => {
        const now = latest(recorder.views);
        const open = jobs.filter((job) => !recorder.finals(job.requestId).length);
        const generating = open.filter((job) => now.get(job.requestId)?.view.kind === 'generating');
        const waiting = open.filter((job) => now.get(job.requestId)?.view.kind === 'queued');
        const held = new Map<string, number>();
        for (const job of generating) held.set(job.userKey, (held.get(job.userKey) ?? 0) + 1);
        const expected = fairOrder(waiting, held).map((job) => job.requestId);
        const shown = waiting
          .map((job) => ({ id: job.requestId, at: positionOf(now.get(job.requestId)!) }))
          .sort((a, b) => a.at - b.at);
        last = JSON.stringify({ expected, shown });
        const fair = shown.every(
          (entry, index) => entry.at === index + 1 && entry.id === expected[index],
        );
        const full = generating.length === Math.min(SLOTS, open.length);
        return full && generating.length + waiting.length === open.length && fair
          ? true
          : undefined;
      },
      15_000,
      'a settled line',
    )
    .catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen ${last}`);
    });
}

function positionOf(entry: RecordedView): number {
  return entry.view.kind === 'queued' ? Number(entry.view.position) : Number.NaN;
}

/** Finishes every task running at the API, as if they all ended at once; returns how many. */
function finishRunning(): number {
  const running = [...sim.tasks.values()].filter(
    (task) => sim.taskState(task.taskId) === 'waiting',
  );
  for (const task of running) sim.finishTask(task.taskId, 'success');
  return running.length;
}

/** Step by step: check the settled line, end the running tasks, wait for their results. */
async function finishAll(jobs: Job[]): Promise<void> {
  let finished = 0;
  while (finished < jobs.length) {
    await settledLine(jobs);
    expect(sim.stats().taskStates.waiting).toBeLessThanOrEqual(SLOTS);
    finished += finishRunning();
    await recorder.waitFor(
      () => (recorder.finals().length >= finished ? true : undefined),
      15_000,
      'the finished tasks to be delivered',
    );
  }
}

describe.skipIf(!REDIS_URL)('one fair line for the API’s task slots across replicas', () => {
  it('40 generations from 20 people over two replicas: no 409, distinct places in the fair order, all delivered once', async () => {
    const [east, west] = await Promise.all([replica(), replica()]);
    const jobs: Job[] = [];
    for (let person = 0; person < 20; person++) {
      for (const nth of [0, 1]) {
        jobs.push({
          requestId: `r${String(jobs.length).padStart(2, '0')}`,
          userKey: `person-${person}`,
          arrivedAt: jobs.length,
          // Each person's two commands reach different replicas.
          to: (person + nth) % 2 === 0 ? east : west,
        });
      }
    }
    await submit(jobs);
    await settledLine(jobs);
    const afterArrivals = recorder.views.length;
    await finishAll(jobs);

    expect(sim.activeTaskRefusals).toBe(0);
    expect(sim.createdTaskCount).toBe(40);
    // Once everyone was in line, each place only moved up (a job's views arrive in order).
    for (const job of jobs) {
      const places = recorder.views
        .slice(afterArrivals)
        .filter((entry) => entry.requestId === job.requestId && entry.view.kind === 'queued')
        .map(positionOf);
      expect(places, job.requestId).toEqual([...places].sort((a, b) => b - a));
    }
    for (const job of jobs) expect(recorder.finals(job.requestId)).toHaveLength(1);
    // Both replicas showed places in the one line.
    const showingPlaces = new Set(
      recorder.views.filter((entry) => entry.view.kind === 'queued').map((entry) => entry.pid),
    );
    expect(showingPlaces.size).toBe(2);
  }, 120_000);

  it('a replica killed while holding slots: its tasks keep their slots on the survivor, and everyone is delivered', async () => {
    const [east, west] = await Promise.all([replica(), replica()]);
    const jobs: Job[] = Array.from({ length: 12 }, (_, index) => ({
      requestId: `k${String(index).padStart(2, '0')}`,
      userKey: `person-${index}`,
      arrivedAt: index,
      to: index % 2 === 0 ? east : west,
    }));
    await submit(jobs);
    await settledLine(jobs);
    const generatingOn = (pid: number) =>
      [...latest(recorder.views).values()].filter(
        (entry) => entry.pid === pid && entry.view.kind === 'generating',
      ).length;
    const [victim, survivor] =
      generatingOn(east.pid) >= generatingOn(west.pid) ? [east, west] : [west, east];
    expect(generatingOn(victim.pid)).toBeGreaterThan(0);
    await victim.kill('SIGKILL');
    replicas = replicas.filter((entry) => entry !== victim);

    await finishAll(jobs);
    expect(sim.activeTaskRefusals).toBe(0);
    expect(sim.createdTaskCount).toBe(12);
    for (const job of jobs) expect(recorder.finals(job.requestId)).toHaveLength(1);
    expect(recorder.finals().at(-1)!.pid).toBe(survivor.pid);
  }, 120_000);
});
