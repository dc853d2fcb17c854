/**
 * Store outages as an operator sees them: Redis (a server of the test's own, on a spare port) is
 * stopped and started again while the bot runs. Readiness answers 503 at once, and each outage
 * is one log line when it starts and one when it ends, however many connections and jobs notice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreOutage } from '../src/core/store-outage.js';
import { OwnRedis } from './helpers/own-redis.js';
import { ReplicaRig, type Replica } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Each outage lasts this long, like the two 2-second outages of the issue. */
const OUTAGE_MS = 2_000;
const WARN = 40;
/** How long the end of an outage may take to show in the log once the store is back. */
const RECOVERY_LOG_WITHIN_MS = 30_000;

let redis: OwnRedis | undefined;
let rig: ReplicaRig | undefined;
let bot: ChildProcess | undefined;

afterEach(async () => {
  if (bot && bot.exitCode === null && bot.signalCode === null) {
    const exited = new Promise((resolve) => bot!.once('exit', resolve));
    bot.kill('SIGKILL');
    await exited;
  }
  bot = undefined;
  await rig?.close();
  rig = undefined;
  await redis?.close();
  redis = undefined;
});

type LogLine = Record<string, unknown> & { level: number; msg: string };

function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const look = () => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(look, 25);
    };
    look();
  });
}

/** Stops Redis for OUTAGE_MS and waits for both lines of the outage; returns the closing one. */
async function outage(logs: () => LogLine[], during?: () => void): Promise<LogLine> {
  const endedBefore = logs().filter((line) => line.msg.startsWith('store reachable again')).length;
  await redis!.stop();
  await waitUntil(
    () =>
      logs().filter((line) => line.msg.startsWith('store unreachable')).length > endedBefore ||
      undefined,
    5_000,
    'the outage to be logged',
  );
  during?.();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await redis!.restart();
  // What is checked is one line per outage end, not how fast: a loaded machine can delay the
  // clients' reconnects by seconds. A miss shows what the bot logged since.
  return waitUntil(
    () => logs().filter((line) => line.msg.startsWith('store reachable again'))[endedBefore],
    RECOVERY_LOG_WITHIN_MS,
    'the end of the outage to be logged',
  ).catch((error: Error) => {
    const since = logs().map((line) => `${String(line.time)} ${line.msg}`);
    throw new Error(`${error.message}; the bot logged:\n${since.slice(-20).join('\n')}`);
  });
}

function warningsAndErrors(logs: LogLine[]): string[] {
  return logs.filter((line) => line.level >= WARN).map((line) => line.msg);
}

function parsed(lines: readonly string[]): LogLine[] {
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
}

describe('the outage tracker', () => {
  function tracker(answering: { now: boolean }) {
    const lines: LogLine[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
    );
    const outage = new StoreOutage({
      logger,
      probe: () => (answering.now ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))),
    });
    return { outage, lines };
  }
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), {
    code: 'ECONNREFUSED',
  });

  it('logs an outage noticed by many connections and jobs once, and its end once, with its duration', async () => {
    const store = { now: false };
    const { outage, lines } = tracker(store);
    for (const source of ['job queue', 'job worker', 'store connection', 'save job', 'save job'])
      outage.report(source, refused);
    await waitUntil(
      () => lines.find((line) => line.msg.startsWith('store unreachable')),
      5_000,
      'the outage',
    );
    outage.report('save job', refused);
    expect(outage.unreachable).toBe(true);

    store.now = true;
    outage.reconnected();
    const ended = await waitUntil(
      () => lines.find((line) => line.msg.startsWith('store reachable again')),
      5_000,
      'the end of the outage',
    );
    expect(ended.durationMs).toEqual(expect.any(Number));
    expect(outage.unreachable).toBe(false);
    expect(lines.map((line) => line.msg.split(';')[0])).toEqual([
      'store unreachable',
      expect.stringMatching(/^store reachable again after \d+\.\d s$/),
    ]);
    outage.close();
  });

  it('a failed call while the store answers is no outage: a real error is logged, a late connection error is not', async () => {
    const { outage, lines } = tracker({ now: true });
    outage.report('save job', new Error('value too large'));
    await waitUntil(() => (outage.unreachable ? undefined : true), 5_000, 'the probe');
    outage.report('job worker', refused);
    await waitUntil(() => (outage.unreachable ? undefined : true), 5_000, 'the probe');
    expect(lines.map((line) => [line.msg, line.source])).toEqual([
      ['a store call failed although the store answers', 'save job'],
    ]);
    outage.close();
  });
});

describe.skipIf(!REDIS_URL)('a store outage', { timeout: 150_000 }, () => {
  it('with a job in flight: two 2-second outages log one line each when they start and one when they end, and the job is delivered once', async () => {
    redis = await OwnRedis.start();
    rig = await ReplicaRig.start({ taskDurationMs: 10 * 60_000 });
    const replica: Replica = await rig.replica({ STORE_URL: redis.url, LOG_LEVEL: 'info' });
    await replica.request({ requestId: 'through-outages', userKey: 'u1' });
    await rig.working('through-outages');
    const logs = () => parsed(replica.output);

    const first = await outage(logs);
    // In the second outage the task finishes: recording it has to wait for the store.
    const second = await outage(logs, () => {
      const [task] = [...rig!.sim.tasks.values()];
      rig!.sim.finishTask(task!.taskId, 'success');
    });

    for (const ended of [first, second]) {
      expect(ended.durationMs).toBeGreaterThanOrEqual(OUTAGE_MS);
      expect(ended.msg).toMatch(/^store reachable again after \d+\.\d s/);
    }
    const final = await rig.recorder.waitFor(
      () => rig!.recorder.finals('through-outages')[0],
      20_000,
      'the result',
    );
    expect(final.view.kind).toBe('done');
    await waitUntil(
      () => (replica.logs('job finished').length > 0 ? true : undefined),
      10_000,
      'the job to be recorded finished',
    );
    expect(rig.recorder.finals('through-outages')).toHaveLength(1);
    expect(warningsAndErrors(logs())).toEqual([
      expect.stringMatching(/^store unreachable/),
      expect.stringMatching(/^store unreachable/),
    ]);
    expect(replica.logs('store reachable again')).toHaveLength(2);
  });

  it('the bot answers /readyz with 503 within a second while Redis is down, and 200 once it is back', async () => {
    redis = await OwnRedis.start();
    // One process (not the tsx command, which runs the bot as its child): the SIGKILL at the end
    // must reach the bot itself, or it outlives the test run.
    bot = spawn(process.execPath, ['--import', 'tsx', `${ROOT}/src/main.ts`], {
      cwd: ROOT,
      // The playground alone, on the simulated image API: nothing but the store to be ready for.
      env: {
        PATH: process.env.PATH ?? '',
        STORE_URL: redis.url,
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output: string[] = [];
    createInterface({ input: bot.stdout! }).on('line', (line) => output.push(line));
    const logs = () => parsed(output);
    const running = await waitUntil(
      () => logs().find((line) => line.msg === 'gpt-image-bot is running'),
      30_000,
      'the bot to start',
    );
    const readyz = async () => {
      const askedAt = Date.now();
      const response = await fetch(`http://127.0.0.1:${running.httpPort as number}/readyz`);
      const body = (await response.json()) as { checks: Record<string, boolean> };
      return { status: response.status, store: body.checks.store, tookMs: Date.now() - askedAt };
    };
    expect(await readyz()).toMatchObject({ status: 200, store: true });

    await redis.stop();
    const downAt = Date.now();
    const answers: Array<Awaited<ReturnType<typeof readyz>>> = [];
    while (Date.now() - downAt < OUTAGE_MS) answers.push(await readyz());
    await redis.restart();
    await waitUntil(
      () => logs().find((line) => line.msg.startsWith('store reachable again')),
      RECOVERY_LOG_WITHIN_MS,
      'the end of the outage to be logged',
    );
    expect(await readyz()).toMatchObject({ status: 200, store: true });

    expect(answers[0]).toMatchObject({ status: 503, store: false });
    expect(answers.every((answer) => answer.status === 503)).toBe(true);
    expect(Math.max(...answers.map((answer) => answer.tookMs))).toBeLessThan(1_000);
    expect(warningsAndErrors(logs())).toEqual([expect.stringMatching(/^store unreachable/)]);
  });
});
