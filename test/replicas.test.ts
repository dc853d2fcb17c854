import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { startReplica, ViewRecorder, type Replica } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

let sim: ImageApiSimulator;
let recorder: ViewRecorder;
let replicas: Replica[] = [];
let prefix: string;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 2_000 });
  recorder = new ViewRecorder();
  await recorder.start();
  prefix = `replicas-${randomBytes(5).toString('hex')}:`;
});

afterEach(async () => {
  await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
  replicas = [];
  await recorder.close();
  await sim.close();
});

async function replica(extra: Record<string, string> = {}): Promise<Replica> {
  const started = await startReplica({
    STORE_URL: REDIS_URL!,
    STORE_PREFIX: prefix,
    API_URL: sim.url,
    RECORDER_URL: recorder.url,
    LOCK_DURATION_MS: '2000',
    ...extra,
  });
  replicas.push(started);
  return started;
}

describe.skipIf(!REDIS_URL)('several replicas on one Redis', () => {
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
    await recorder.waitFor(() => recorder.finals('same-interaction')[0], 20_000, 'the result');
    await new Promise((resolve) => setTimeout(resolve, 500));
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
    await new Promise((resolve) => setTimeout(resolve, 1_000));
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of the test's own, with an append-only file so a restart keeps the data, as in production. */
async function startOwnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
    ],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const ready = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not start');
}

describe.skipIf(!REDIS_URL)('a Redis restart', () => {
  let folder: string;
  let redis: ChildProcess | undefined;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'gib-redis-'));
  });
  afterEach(() => {
    redis?.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('is ridden out: the bot reconnects and the job in flight is still delivered once', async () => {
    sim.setTaskDuration(3_000);
    const port = await freePort();
    redis = await startOwnRedis(port, folder);
    const bot = await replica({ STORE_URL: `redis://127.0.0.1:${port}` });
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
    redis.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    redis = await startOwnRedis(port, folder);
    const final = await recorder.waitFor(
      () => recorder.finals('through-redis-restart')[0],
      40_000,
      'the result',
    );
    expect(final.view.kind).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(recorder.finals('through-redis-restart')).toHaveLength(1);
    expect(sim.createdTaskCount).toBe(1);
  });
});
