import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobStore } from '../../src/core/jobs.js';
import { QuotaService } from '../../src/core/quota.js';
import type { Store } from '../../src/core/store.js';
import { openStore } from '../../src/storage/open-store.js';
import type { JobRecord } from '../../src/core/types.js';
import type { ResultRow, ScenarioResult } from '../lib/report.js';

/**
 * Scenario 5: how fast the durable store takes the two writes every command makes: a quota
 * reservation (read-modify-write of the user's record under its lock) and a job-record save
 * (the record plus its entry in the active index). The in-memory store is the baseline.
 */

/** Scenario 2's burst is 100 commands a second; each reserves once and saves its job five times. */
const RESERVATIONS_GOAL_PER_SECOND = 100;
const SAVES_GOAL_PER_SECOND = 500;
const CONCURRENCY = 32;
/** Each measurement stops after this long even if it has not done all its operations. */
const TIME_LIMIT_MS = 10_000;

interface Throughput {
  operations: number;
  seconds: number;
  perSecond: number;
}

/** Runs `operation(index)` for indexes 0..count-1 with bounded concurrency and a time limit. */
async function measure(
  count: number,
  operation: (index: number) => Promise<void>,
): Promise<Throughput> {
  const started = performance.now();
  const stopAt = started + TIME_LIMIT_MS;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count && performance.now() < stopAt) {
      await operation(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { operations: done, seconds, perSecond: done / seconds };
}

function benchJob(requestId: string, index: number): JobRecord {
  const now = Date.now();
  return {
    requestId,
    user: { key: `bench:user-${index % 500}`, displayName: `Bench user ${index % 500}` },
    prompt: `store benchmark ${index}: a watercolor of a harbour at dawn, soft light, gulls`,
    options: { resolution: '1K', aspectRatio: '16:9', private: false },
    target: { platform: 'bench', channelId: '1234567890', messageId: `${index}` },
    cost: 1,
    state: 'waiting',
    taskId: `task-${index}`,
    createdAt: now,
    submittedAt: now,
    updatedAt: now,
  };
}

interface BackendFigures {
  backend: string;
  reservations: Throughput;
  saves: Throughput;
}

async function measureBackend(
  backend: string,
  store: Store,
  operations: number,
): Promise<BackendFigures> {
  // Unique keys per run, deleted afterwards, so a shared Redis is left as it was found.
  const prefix = `bench-store-${process.pid}-${Date.now()}`;
  const quotaRecords = store.namespace<never>('quota');
  const quota = new QuotaService(store.namespace('quota'), {
    dailyCredits: 1_000_000,
    costs: { '1K': 1, '2K': 2, '4K': 4 },
    maxActivePerUser: 1_000_000,
  });
  const jobs = new JobStore(store);
  try {
    const reservations = await measure(operations, (index) =>
      quota.reserve(`${prefix}:user-${index}`, `${prefix}-job-${index}`, 1),
    );
    const saves = await measure(operations, (index) =>
      jobs.save(benchJob(`${prefix}-job-${index}`, index)),
    );
    return { backend, reservations, saves };
  } finally {
    const ids = Array.from({ length: operations }, (_, index) => index);
    await quotaRecords.deleteMany(ids.map((index) => `${prefix}:user-${index}`));
    await store.namespace('jobs').deleteMany(ids.map((index) => `${prefix}-job-${index}`));
    await store.namespace('active').deleteMany(ids.map((index) => `${prefix}-job-${index}`));
  }
}

/** Whether something accepts TCP connections at the Redis URL's address, within a second. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export async function storeScenario(quick: boolean): Promise<ScenarioResult> {
  const operations = quick ? 500 : 5_000;
  const figures: BackendFigures[] = [];
  const skipped: string[] = [];

  const memory = await openStore('memory://');
  figures.push(await measureBackend('memory (baseline)', memory, operations));
  await memory.close();

  const directory = mkdtempSync(join(tmpdir(), 'gpt-image-bot-store-'));
  try {
    const sqlite = await openStore(`sqlite://${join(directory, 'bench.sqlite')}`);
    figures.push(await measureBackend('SQLite', sqlite, operations));
    await sqlite.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await reachable(redisUrl)) {
    const redis = await withTimeout(openStore(redisUrl), 5_000, 'opening Redis');
    try {
      figures.push(await measureBackend('Redis', redis, operations));
    } finally {
      await redis.close();
    }
  } else {
    skipped.push(`Redis: not available: nothing listening at ${redisUrl}`);
    process.stdout.write(`5 Store: Redis not available: nothing listening at ${redisUrl}\n`);
  }

  const scenario = '5 Store';
  const baseline = figures[0]!;
  const rows: ResultRow[] = [];
  for (const entry of figures.slice(1)) {
    rows.push(
      {
        scenario,
        measure: `${entry.backend}: quota reservations`,
        value: `${Math.round(entry.reservations.perSecond)}/s`,
        goal: `≥ ${RESERVATIONS_GOAL_PER_SECOND}/s`,
        baseline: `memory: ${Math.round(baseline.reservations.perSecond)}/s`,
        met: entry.reservations.perSecond >= RESERVATIONS_GOAL_PER_SECOND,
      },
      {
        scenario,
        measure: `${entry.backend}: job-record writes`,
        value: `${Math.round(entry.saves.perSecond)}/s`,
        goal: `≥ ${SAVES_GOAL_PER_SECOND}/s`,
        baseline: `memory: ${Math.round(baseline.saves.perSecond)}/s`,
        met: entry.saves.perSecond >= SAVES_GOAL_PER_SECOND,
      },
    );
  }
  for (const reason of skipped)
    rows.push({ scenario, measure: reason, value: 'skipped', goal: '', baseline: '' });
  return {
    id: 'store',
    title: '5 Store',
    rows,
    data: { operations, concurrency: CONCURRENCY, figures },
  };
}
