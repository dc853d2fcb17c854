import type { ImageApi, TaskStatus } from '../../src/core/api/client.js';
import { ApiError } from '../../src/core/api/errors.js';
import { TIER_LIMITS, type ApiLimits, type ApiTier } from '../../src/core/api/limits.js';
import { BudgetGate, type ApiBudget } from '../../src/core/budget/api-budget.js';
import { LocalWindows } from '../../src/core/budget/local-windows.js';
import { maxInAnyWindow } from '../../src/core/budget/rate-window.js';
import { MinHeap } from '../../src/core/heap.js';
import { DEFAULT_POLL_SCHEDULE } from '../../src/core/poll-schedule.js';
import { Poller } from '../../src/core/poller.js';
import { KeyRateLimits } from '../../src/simulator/rate-limits.js';
import { VirtualClock } from '../../test/helpers/virtual-clock.js';
import { SeededRandom } from '../lib/random.js';
import {
  formatSeconds,
  markdownTable,
  type ResultRow,
  type ScenarioResult,
} from '../lib/report.js';
import { mean, summarize, type Distribution } from '../lib/stats.js';
import { generateTrace, type TraceTask } from './polling.js';

/**
 * Scenario 6: generations from many users on one API key, per tier and with 1 or 3 replicas, on
 * a virtual clock. The API here enforces the tier as documented (both windows per endpoint, 429
 * with the body's figures, 409 over the active-task limit) and answers after a network delay.
 * Each replica is the real Poller and budget (BudgetGate); replicas share one set of windows, as
 * they share one sorted set on Redis; jobs wait for a task slot in one first-come line, as the
 * shared line on Redis keeps them. Measured: 429s, notification lag, time waiting for a slot
 * against an ideal line with the same slots, calls per task, and the most requests in any
 * sliding second and minute at the API.
 */

const KEY = 'sk-bench-tiers';
/** From the bot sending a call to the API receiving it, and as long again for the answer. */
const ONE_WAY_MS = { min: 5, max: 60 };

interface ApiTask {
  trace: TraceTask;
  createdAt: number;
}

class TierApi implements ImageApi {
  readonly windows: KeyRateLimits;
  /** When each request reached the API, refused or not. */
  readonly arrivals: Record<'createTask' | 'recordInfo', number[]> = {
    createTask: [],
    recordInfo: [],
  };
  readonly tasks = new Map<string, ApiTask>();
  readonly refused = { rateLimited: 0, activeLimit: 0 };
  private active = 0;
  private readonly random = new SeededRandom(11);

  constructor(
    private readonly clock: VirtualClock,
    private readonly limits: ApiLimits,
    private readonly traceById: Map<string, TraceTask>,
  ) {
    this.windows = new KeyRateLimits(limits);
  }

  createTask(_input: unknown, context: { requestId: string }): Promise<string> {
    return this.exchange('createTask', () => {
      this.settleFinished();
      if (this.active >= this.limits.activeTasks) {
        this.refused.activeLimit++;
        throw new ApiError('active_task_limit', 'active task limit exceeded', { status: 409 });
      }
      this.active++;
      this.tasks.set(context.requestId, {
        trace: this.traceById.get(context.requestId)!,
        createdAt: this.clock.now(),
      });
      return context.requestId;
    });
  }

  getTask(taskId: string): Promise<TaskStatus> {
    return this.exchange('recordInfo', () => {
      const task = this.tasks.get(taskId)!;
      const done = this.clock.now() >= task.createdAt + task.trace.durationMs;
      return {
        taskId,
        state: done ? 'success' : 'waiting',
        rawState: done ? 'success' : 'waiting',
        resultUrls: done ? [`https://cdn.example.com/${taskId}.png`] : [],
        failCode: null,
        failMsg: null,
        costTimeMs: done ? task.trace.durationMs : null,
        createTime: task.createdAt,
        completeTime: done ? task.createdAt + task.trace.durationMs : null,
      };
    });
  }

  /** When did the task finish at the API (for the notification lag). */
  completedAt(taskId: string): number {
    const task = this.tasks.get(taskId)!;
    return task.createdAt + task.trace.durationMs;
  }

  private settleFinished(): void {
    let running = 0;
    for (const task of this.tasks.values())
      if (this.clock.now() < task.createdAt + task.trace.durationMs) running++;
    this.active = running;
  }

  /** The request reaches the API after a network delay, and its answer takes as long again. */
  private exchange<T>(endpoint: 'createTask' | 'recordInfo', answer: () => T): Promise<T> {
    const oneWay = ONE_WAY_MS.min + this.random.next() * (ONE_WAY_MS.max - ONE_WAY_MS.min);
    return new Promise<T>((resolve, reject) => {
      this.clock.setTimeout(() => {
        const now = this.clock.now();
        this.arrivals[endpoint].push(now);
        const refusal = this.windows.admit(KEY, endpoint, now);
        let outcome: () => void;
        if (refusal) {
          this.refused.rateLimited++;
          const error = new ApiError('rate_limited', 'rate limit exceeded', {
            status: 429,
            retryAfterMs: refusal.retryAfter * 1000,
            rateLimit: { ...refusal, retryAfterSeconds: refusal.retryAfter },
          });
          outcome = () => reject(error);
        } else {
          try {
            const value = answer();
            outcome = () => resolve(value);
          } catch (error) {
            // answer() only throws ApiError (the 409).
            const apiError = error as ApiError;
            outcome = () => reject(apiError);
          }
        }
        this.clock.setTimeout(outcome, oneWay);
      }, oneWay);
    });
  }
}

/** The shared first-come line for the key's task slots. */
class SlotLine {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(slots: number) {
    this.free = slots;
  }

  take(): Promise<void> {
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** When each job would start with `slots` tasks at a time, first come first served, no other limit. */
function idealStarts(trace: readonly TraceTask[], slots: number): Map<string, number> {
  const freeAt = new MinHeap<number>((a, b) => a < b);
  for (let index = 0; index < slots; index++) freeAt.push(0);
  const starts = new Map<string, number>();
  for (const task of [...trace].sort((a, b) => a.arrivalMs - b.arrivalMs)) {
    const start = Math.max(task.arrivalMs, freeAt.pop()!);
    starts.set(task.id, start);
    freeAt.push(start + task.durationMs);
  }
  return starts;
}

export interface TierRun {
  tier: ApiTier;
  replicas: number;
  tasks: number;
  delivered: number;
  rateLimited: number;
  activeLimitRefusals: number;
  lag: Distribution;
  queueWait: Distribution;
  idealQueueWait: Distribution;
  callsPerTask: number;
  createTask: { maxPerSecond: number; maxPerMinute: number };
  recordInfo: { maxPerSecond: number; maxPerMinute: number };
}

export async function runTier(
  tier: ApiTier,
  replicas: number,
  trace: readonly TraceTask[],
): Promise<TierRun> {
  const clock = new VirtualClock(0);
  const limits = TIER_LIMITS[tier];
  const api = new TierApi(clock, limits, new Map(trace.map((task) => [task.id, task])));
  // One set of windows for the key, as every replica's budget shares one on Redis.
  const windows = new LocalWindows({ clock });
  const line = new SlotLine(limits.activeTasks);
  const started = new Map<string, number>();
  const lags: number[] = [];
  const finished = new Map<string, () => void>();
  const nodes = Array.from({ length: replicas }, () => {
    const budget: ApiBudget = new BudgetGate({ limits, backend: windows, clock });
    const poller = new Poller({
      api,
      budget,
      clock,
      schedule: DEFAULT_POLL_SCHEDULE,
      deadlineMs: 10 * 60 * 60_000,
      onProgress: () => undefined,
      onResult: (target, result) => {
        if (result.kind === 'finished') lags.push(clock.now() - api.completedAt(target.taskId));
        finished.get(target.requestId)?.();
      },
    });
    return { budget, poller };
  });

  const runJob = async (task: TraceTask, index: number) => {
    const node = nodes[index % replicas]!;
    await line.take();
    for (;;) {
      const permit = await node.budget.acquire('createTask');
      try {
        await api.createTask({}, { requestId: task.id });
        break;
      } catch (error) {
        if (!(error instanceof ApiError) || error.kind !== 'rate_limited') throw error;
        node.budget.rateLimited('createTask', error.rateLimit ?? {});
      } finally {
        permit.release();
      }
    }
    started.set(task.id, clock.now());
    await new Promise<void>((resolve) => {
      finished.set(task.id, resolve);
      node.poller.track({
        requestId: task.id,
        taskId: task.id,
        resolution: task.resolution,
        submittedAt: clock.now(),
      });
    });
    line.release();
  };
  const jobs: Array<Promise<void>> = [];
  trace.forEach((task, index) =>
    clock.setTimeout(() => jobs.push(runJob(task, index)), task.arrivalMs),
  );
  const ideal = idealStarts(trace, limits.activeTasks);
  const lastIdealEnd = Math.max(...trace.map((task) => ideal.get(task.id)! + task.durationMs));
  // Far past the ideal end: the budget's own pacing (10 createTask a minute on free) adds to it.
  await clock.advanceTo(lastIdealEnd * 2 + trace.length * 6_000 + 60 * 60_000);
  await Promise.all(jobs);
  for (const node of nodes) {
    await node.poller.stop();
    await node.budget.close();
  }
  const arrivals = (endpoint: 'createTask' | 'recordInfo') => ({
    maxPerSecond: maxInAnyWindow(api.arrivals[endpoint], 1_000),
    maxPerMinute: maxInAnyWindow(api.arrivals[endpoint], 60_000),
  });
  return {
    tier,
    replicas,
    tasks: trace.length,
    delivered: lags.length,
    rateLimited: api.refused.rateLimited,
    activeLimitRefusals: api.refused.activeLimit,
    lag: summarize(lags),
    queueWait: summarize(trace.map((task) => (started.get(task.id) ?? NaN) - task.arrivalMs)),
    idealQueueWait: summarize(trace.map((task) => ideal.get(task.id)! - task.arrivalMs)),
    callsPerTask: mean([
      (api.arrivals.createTask.length + api.arrivals.recordInfo.length) / trace.length,
    ]),
    createTask: arrivals('createTask'),
    recordInfo: arrivals('recordInfo'),
  };
}

const TIERS: ApiTier[] = ['free', 'basic', 'standard'];
const REPLICA_COUNTS = [1, 3];

const windowCell = (
  measured: { maxPerSecond: number; maxPerMinute: number },
  limit: ApiLimits['createTask'],
) =>
  `${measured.maxPerSecond}/${limit.perSecond} s, ${measured.maxPerMinute}/${limit.perMinute} min`;

export async function tiersScenario(quick: boolean): Promise<ScenarioResult> {
  // 300 generations over 5 minutes (quick: 60 over 1 minute); people are served first come first
  // served, so who asked does not change these figures.
  const trace = generateTrace({
    tasks: quick ? 60 : 300,
    spanMs: (quick ? 1 : 5) * 60_000,
    seed: 14,
  });
  const runs: TierRun[] = [];
  for (const tier of TIERS)
    for (const replicas of REPLICA_COUNTS) runs.push(await runTier(tier, replicas, trace));

  const scenario = '6 API tiers';
  const rows: ResultRow[] = [];
  for (const run of runs) {
    const limits = TIER_LIMITS[run.tier];
    const within =
      run.createTask.maxPerSecond <= limits.createTask.perSecond &&
      run.createTask.maxPerMinute <= limits.createTask.perMinute &&
      run.recordInfo.maxPerSecond <= limits.recordInfo.perSecond &&
      run.recordInfo.maxPerMinute <= limits.recordInfo.perMinute;
    const label = `${run.tier}, ${run.replicas} replica${run.replicas > 1 ? 's' : ''}`;
    rows.push(
      {
        scenario,
        measure: `${label}: 429s received, 409s`,
        value: `${run.rateLimited}, ${run.activeLimitRefusals}`,
        goal: '0, 0',
        baseline: '',
        met: run.rateLimited === 0 && run.activeLimitRefusals === 0,
      },
      {
        scenario,
        measure: `${label}: generations delivered`,
        value: `${run.delivered} of ${run.tasks}`,
        goal: `${run.tasks} of ${run.tasks}`,
        baseline: '',
        met: run.delivered === run.tasks,
      },
      {
        scenario,
        measure: `${label}: most requests in any second / minute (createTask; recordInfo)`,
        value: `${windowCell(run.createTask, limits.createTask)}; ${windowCell(run.recordInfo, limits.recordInfo)}`,
        goal: '≤ the tier’s limits',
        baseline: '',
        met: within,
      },
    );
  }
  const details = [
    `${trace.length} generations arriving over ${quick ? 1 : 5} min (Poisson; log-normal durations as in scenario 1), on a virtual clock; the API enforces the tier (both windows per endpoint, 429, 409) and answers after ${ONE_WAY_MS.min}–${ONE_WAY_MS.max} ms each way. Queue wait is the time from the request to createTask accepted; the ideal is the same line with the tier's task slots and no rate limit.\n\n` +
      markdownTable(
        [
          'tier',
          'replicas',
          '429s',
          'lag p50',
          'lag p95',
          'queue wait p50 (ideal)',
          'queue wait p95 (ideal)',
          'calls/task',
          'createTask max s / min',
          'recordInfo max s / min',
        ],
        runs.map((run) => [
          run.tier,
          `${run.replicas}`,
          `${run.rateLimited}`,
          formatSeconds(run.lag.p50),
          formatSeconds(run.lag.p95),
          `${formatSeconds(run.queueWait.p50, 0)} (${formatSeconds(run.idealQueueWait.p50, 0)})`,
          `${formatSeconds(run.queueWait.p95, 0)} (${formatSeconds(run.idealQueueWait.p95, 0)})`,
          run.callsPerTask.toFixed(1),
          windowCell(run.createTask, TIER_LIMITS[run.tier].createTask),
          windowCell(run.recordInfo, TIER_LIMITS[run.tier].recordInfo),
        ]),
      ),
  ];
  return { id: 'tiers', title: '6 API tiers', rows, details, data: { runs } };
}
