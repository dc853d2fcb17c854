import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startImageApiSimulator } from '../../test/fakes/image-api/index.js';
import { formatMiB, formatMs, type ResultRow, type ScenarioResult } from '../lib/report.js';
import type { CapacityChildOptions, CapacityChildResult } from './capacity-child.js';

/**
 * Scenario 3: thousands of jobs in flight in one process. The simulator runs here; the bot runs in
 * a child process (capacity-child.ts) so the memory figures are the bot's alone.
 */

const RESULT_PREFIX = 'CAPACITY-RESULT ';
const RSS_GOAL_BYTES = 250 * 2 ** 20;
const EVENT_LOOP_DELAY_GOAL_MS = 20;
const MAX_REQUESTS_PER_SECOND = 20;
/** The child is killed if it has not reported by then, so a hang cannot stall the bench. */
const CHILD_TIMEOUT_MS = 300_000;

export async function runCapacityChild(
  options: CapacityChildOptions,
): Promise<CapacityChildResult> {
  const childPath = fileURLToPath(new URL('./capacity-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', childPath], {
    env: { ...process.env, BENCH_CAPACITY_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const line = stdout.split('\n').find((entry) => entry.startsWith(RESULT_PREFIX));
  if (!line)
    throw new Error(`capacity child exited with ${code} and no result: ${stderr.slice(-500)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as CapacityChildResult;
}

export async function capacityScenario(quick: boolean): Promise<ScenarioResult> {
  const simulator = await startImageApiSimulator({
    // Tasks that outlast the run: every job stays in flight while it is measured.
    taskDurationMs: 6 * 60 * 60_000,
    recordRequests: false,
  });
  // SQLite, the default store: the in-memory store is for tests and keeps every record as a string.
  const directory = mkdtempSync(join(tmpdir(), 'gpt-image-bot-capacity-'));
  let result: CapacityChildResult;
  try {
    result = await runCapacityChild({
      apiUrl: simulator.url,
      storeUrl: `sqlite://${join(directory, 'bench.sqlite')}`,
      jobs: quick ? 1_000 : 10_000,
      users: quick ? 100 : 1_000,
      // Quick: long enough to pass the prior's first poll (12 s after submission) and see the cap.
      steadyMs: quick ? 12_000 : 20_000,
      maxRequestsPerSecond: MAX_REQUESTS_PER_SECOND,
      submitConcurrency: 64,
    });
  } finally {
    await simulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
  const apiStats = simulator.stats();

  const scenario = '3 Capacity';
  const idle = (value: string) => `idle process: ${value}`;
  const rate = result.steadyRecordInfoCalls / result.steadySeconds;
  const rows: ResultRow[] = [
    {
      scenario,
      measure: 'jobs in flight',
      value: `${result.inFlight}`,
      goal: `${result.jobs}`,
      baseline: `filled in ${(result.rampMs / 1000).toFixed(1)} s`,
      met: result.inFlight === result.jobs,
    },
    {
      scenario,
      measure: 'RSS (peak)',
      value: formatMiB(result.peak.rssBytes),
      goal: `< ${formatMiB(RSS_GOAL_BYTES)}`,
      baseline: idle(formatMiB(result.idle.rssBytes)),
      met: result.peak.rssBytes < RSS_GOAL_BYTES,
    },
    {
      scenario,
      measure: 'RSS / heap after GC, all in flight',
      value: `${formatMiB(result.retained.rssBytes)} / ${formatMiB(result.retained.heapUsedBytes)}`,
      goal: '',
      baseline: idle(
        `${formatMiB(result.idle.rssBytes)} / ${formatMiB(result.idle.heapUsedBytes)}`,
      ),
    },
    {
      scenario,
      measure: 'heap used (peak)',
      value: formatMiB(result.peak.heapUsedBytes),
      goal: '',
      baseline: idle(formatMiB(result.idle.heapUsedBytes)),
    },
    {
      scenario,
      measure: 'event-loop delay p99 (all in flight)',
      value: formatMs(result.steadyEventLoopDelayP99Ms),
      goal: `< ${EVENT_LOOP_DELAY_GOAL_MS} ms`,
      baseline: `while filling: ${formatMs(result.rampEventLoopDelayP99Ms)}`,
      met: result.steadyEventLoopDelayP99Ms < EVENT_LOOP_DELAY_GOAL_MS,
    },
    {
      scenario,
      measure: 'recordInfo rate: mean / busiest second',
      value: `${rate.toFixed(1)} / ${result.maxRecordInfoInAnySecond} req/s`,
      goal: `≤ ${MAX_REQUESTS_PER_SECOND} req/s (cap)`,
      baseline: `fixed 2 s would ask ${Math.round(result.jobs / 2)} req/s`,
      met: result.maxRecordInfoInAnySecond <= MAX_REQUESTS_PER_SECOND,
    },
  ];
  return {
    id: 'capacity',
    title: '3 Capacity',
    rows,
    data: {
      ...result,
      apiRecordInfoTotal: apiStats.requestCounts.recordInfo,
      apiCreateTaskTotal: apiStats.requestCounts.createTask,
    },
  };
}
