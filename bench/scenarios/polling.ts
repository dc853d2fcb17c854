import type { ImageApi, TaskStatus } from '../../src/core/api/client.js';
import { ApiError } from '../../src/core/api/errors.js';
import type { Resolution } from '../../src/core/options.js';
import {
  DEFAULT_POLL_SCHEDULE,
  fixedPollSchedule,
  type PollScheduleSettings,
} from '../../src/core/poll-schedule.js';
import { Poller } from '../../src/core/poller.js';
import { VirtualClock } from '../../test/helpers/virtual-clock.js';
import { SeededRandom } from '../lib/random.js';
import {
  formatSeconds,
  markdownTable,
  type ResultRow,
  type ScenarioResult,
} from '../lib/report.js';
import { mean, summarize, type Distribution } from '../lib/stats.js';

/**
 * Scenario 1: the real Poller replays a trace of task durations on a virtual clock, once with the
 * adaptive schedule and once per fixed interval, so every strategy meets exactly the same tasks.
 */

export interface TraceTask {
  id: string;
  resolution: Resolution;
  /** Virtual time at which createTask was accepted. */
  arrivalMs: number;
  durationMs: number;
}

/**
 * Durations by resolution: log-normal, larger images slower. The mix gives an overall median of
 * about 40 s with 5–95 % of about 20–90 s, the spread seen for this model's tasks.
 */
const DURATION_BY_RESOLUTION: Record<Resolution, { medianMs: number; sigma: number }> = {
  '1K': { medianMs: 36_000, sigma: 0.42 },
  '2K': { medianMs: 46_000, sigma: 0.42 },
  '4K': { medianMs: 62_000, sigma: 0.4 },
};
const RESOLUTION_MIX: Record<Resolution, number> = { '1K': 0.6, '2K': 0.3, '4K': 0.1 };

export interface TraceOptions {
  tasks: number;
  /** Tasks arrive as a Poisson process spread over this much virtual time. */
  spanMs: number;
  seed: number;
  /** From this task index on, every duration is multiplied by `slowdown` (distribution drift). */
  driftFromIndex?: number;
  slowdown?: number;
}

export function generateTrace(options: TraceOptions): TraceTask[] {
  const random = new SeededRandom(options.seed);
  const meanGapMs = options.spanMs / options.tasks;
  const tasks: TraceTask[] = [];
  let arrivalMs = 0;
  for (let index = 0; index < options.tasks; index++) {
    arrivalMs += random.exponential(meanGapMs);
    const resolution = random.weighted(RESOLUTION_MIX);
    const { medianMs, sigma } = DURATION_BY_RESOLUTION[resolution];
    const drifted = options.driftFromIndex !== undefined && index >= options.driftFromIndex;
    const durationMs =
      Math.round(random.logNormal(medianMs, sigma)) * (drifted ? (options.slowdown ?? 1) : 1);
    tasks.push({ id: `task-${index}`, resolution, arrivalMs: Math.round(arrivalMs), durationMs });
  }
  return tasks;
}

interface TaskOutcome {
  calls: number;
  /** Time from the task's completion to the recordInfo call that first saw it finished. */
  lagMs?: number;
}

/**
 * recordInfo as the poller sees it, answered from the trace: `waiting` until the task's duration
 * has passed on the virtual clock, then `success` with its costTime. It can enforce a per-key
 * rate limit the way the real API does (429 with Retry-After), so a cap that is exceeded shows.
 */
class TraceApi implements Pick<ImageApi, 'getTask'> {
  readonly outcomes = new Map<string, TaskOutcome>();
  private readonly tasks = new Map<string, TraceTask>();
  private readonly callsPerSecond = new Map<number, number>();
  rejected = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly rateLimitPerSecond = Number.POSITIVE_INFINITY,
  ) {}

  accept(task: TraceTask): void {
    this.tasks.set(task.id, task);
    this.outcomes.set(task.id, { calls: 0 });
  }

  get maxCallsInAnySecond(): number {
    return Math.max(0, ...this.callsPerSecond.values());
  }

  getTask(taskId: string): Promise<TaskStatus> {
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    const callsThisSecond = (this.callsPerSecond.get(second) ?? 0) + 1;
    this.callsPerSecond.set(second, callsThisSecond);
    const task = this.tasks.get(taskId)!;
    const outcome = this.outcomes.get(taskId)!;
    outcome.calls++;
    if (callsThisSecond > this.rateLimitPerSecond) {
      this.rejected++;
      return Promise.reject(
        new ApiError('rate_limited', 'Request rate limit exceeded', {
          status: 429,
          retryAfterMs: (second + 1) * 1000 - now,
        }),
      );
    }
    const completesAt = task.arrivalMs + task.durationMs;
    const done = now >= completesAt;
    if (done && outcome.lagMs === undefined) outcome.lagMs = now - completesAt;
    return Promise.resolve({
      taskId,
      state: done ? 'success' : 'waiting',
      rawState: done ? 'success' : 'waiting',
      resultUrls: done ? [`https://cdn.example.com/${taskId}.png`] : [],
      failCode: null,
      failMsg: null,
      costTimeMs: done ? task.durationMs : null,
      createTime: task.arrivalMs,
      completeTime: done ? completesAt : null,
    });
  }
}

export interface StrategyRun {
  strategy: string;
  tasks: number;
  finished: number;
  lag: Distribution;
  callsPerTask: number;
  maxCallsInAnySecond: number;
  rateLimited: number;
  /** Figures for the tasks from `focusFromIndex` on (the drifted part of a drift trace). */
  focus?: { lag: Distribution; callsPerTask: number };
}

export async function runStrategy(
  strategy: string,
  trace: readonly TraceTask[],
  schedule: PollScheduleSettings,
  options: { maxRequestsPerSecond?: number; apiRateLimit?: number; focusFromIndex?: number } = {},
): Promise<StrategyRun> {
  const clock = new VirtualClock(0);
  const api = new TraceApi(clock, options.apiRateLimit);
  let finished = 0;
  const poller = new Poller({
    api,
    clock,
    schedule,
    maxRequestsPerSecond: options.maxRequestsPerSecond ?? 20,
    onProgress: () => undefined,
    onResult: (_target, result) => {
      if (result.kind === 'finished') finished++;
    },
  });
  for (const task of trace)
    clock.setTimeout(() => {
      api.accept(task);
      poller.track({
        requestId: task.id,
        taskId: task.id,
        resolution: task.resolution,
        submittedAt: clock.now(),
      });
    }, task.arrivalMs);
  const lastArrival = Math.max(...trace.map((task) => task.arrivalMs));
  // Long enough for the slowest task plus the poller's slowest straggler interval.
  await clock.advanceTo(lastArrival + 15 * 60_000);
  await poller.stop();

  const summarizeTasks = (tasks: readonly TraceTask[]) => {
    const outcomes = tasks.map((task) => api.outcomes.get(task.id)!);
    return {
      lag: summarize(outcomes.flatMap((outcome) => outcome.lagMs ?? [])),
      callsPerTask: mean(outcomes.map((outcome) => outcome.calls)),
    };
  };
  const all = summarizeTasks(trace);
  return {
    strategy,
    tasks: trace.length,
    finished,
    ...all,
    maxCallsInAnySecond: api.maxCallsInAnySecond,
    rateLimited: api.rejected,
    ...(options.focusFromIndex === undefined
      ? {}
      : { focus: summarizeTasks(trace.slice(options.focusFromIndex)) }),
  };
}

const FIXED_INTERVALS_MS = [1_000, 2_000, 5_000, 10_000];
const LAG_P50_GOAL_MS = 1_000;
const LAG_P95_GOAL_MS = 2_000;
const CALLS_PER_TASK_GOAL = 17;
const RATE_CAP_PER_SECOND = 5;

function strategies(): Array<{ name: string; schedule: PollScheduleSettings }> {
  return [
    { name: 'adaptive (ours)', schedule: DEFAULT_POLL_SCHEDULE },
    ...FIXED_INTERVALS_MS.map((interval) => ({
      name: `fixed ${interval / 1000} s`,
      schedule: fixedPollSchedule(interval),
    })),
  ];
}

function lagCells(run: { lag: Distribution; callsPerTask: number }): string[] {
  return [
    formatSeconds(run.lag.p50),
    formatSeconds(run.lag.p95),
    formatSeconds(run.lag.max, 1),
    run.callsPerTask.toFixed(1),
  ];
}

function traceSummary(trace: readonly TraceTask[]): string {
  const durations = summarize(trace.map((task) => task.durationMs));
  const sorted = trace.map((task) => task.durationMs).sort((a, b) => a - b);
  const p5 = sorted[Math.floor(sorted.length * 0.05)]!;
  return (
    `${trace.length} tasks, Poisson arrivals over ${Math.round(trace[trace.length - 1]!.arrivalMs / 60_000)} min, ` +
    `durations median ${formatSeconds(durations.p50, 1)}, 5–95 % ${formatSeconds(p5, 1)}–${formatSeconds(durations.p95, 1)}, ` +
    `max ${formatSeconds(durations.max, 1)} (1K:2K:4K = 6:3:1)`
  );
}

export async function pollingScenario(quick: boolean): Promise<ScenarioResult> {
  const taskCount = quick ? 200 : 1_000;
  const spanMs = (quick ? 12 : 60) * 60_000;
  const trace = generateTrace({ tasks: taskCount, spanMs, seed: 6 });

  const runs: StrategyRun[] = [];
  for (const { name, schedule } of strategies())
    runs.push(await runStrategy(name, trace, schedule));
  const adaptive = runs[0]!;
  const fixed2 = runs.find((run) => run.strategy === 'fixed 2 s')!;

  // Drift: halfway through, every task suddenly takes twice as long.
  const driftFrom = Math.floor(taskCount / 2);
  const driftTrace = generateTrace({
    tasks: taskCount,
    spanMs,
    seed: 6,
    driftFromIndex: driftFrom,
    slowdown: 2,
  });
  const driftRuns = [
    await runStrategy('adaptive (ours)', driftTrace, DEFAULT_POLL_SCHEDULE, {
      focusFromIndex: driftFrom,
    }),
    await runStrategy('fixed 2 s', driftTrace, fixedPollSchedule(2_000), {
      focusFromIndex: driftFrom,
    }),
  ];

  // A key allowed only a few calls a second: the poller is configured with the cap and the API
  // enforces it, so any call over it would show as a 429.
  const capOptions = {
    maxRequestsPerSecond: RATE_CAP_PER_SECOND,
    apiRateLimit: RATE_CAP_PER_SECOND,
  };
  const cappedRuns = [
    await runStrategy('adaptive (ours)', trace, DEFAULT_POLL_SCHEDULE, capOptions),
    await runStrategy('fixed 2 s', trace, fixedPollSchedule(2_000), capOptions),
    await runStrategy('fixed 1 s', trace, fixedPollSchedule(1_000), capOptions),
  ];

  const scenario = '1 Polling';
  const baseline = (value: string) => `fixed 2 s: ${value}`;
  const rows: ResultRow[] = [
    {
      scenario,
      measure: 'notification lag p50',
      value: formatSeconds(adaptive.lag.p50),
      goal: `≤ ${formatSeconds(LAG_P50_GOAL_MS, 1)}`,
      baseline: baseline(formatSeconds(fixed2.lag.p50)),
      met: adaptive.lag.p50 <= LAG_P50_GOAL_MS,
    },
    {
      scenario,
      measure: 'notification lag p95',
      value: formatSeconds(adaptive.lag.p95),
      goal: `≤ ${formatSeconds(LAG_P95_GOAL_MS, 1)}`,
      baseline: baseline(formatSeconds(fixed2.lag.p95)),
      met: adaptive.lag.p95 <= LAG_P95_GOAL_MS,
    },
    {
      scenario,
      measure: 'notification lag max',
      value: formatSeconds(adaptive.lag.max, 1),
      goal: '',
      baseline: baseline(formatSeconds(fixed2.lag.max, 1)),
    },
    {
      scenario,
      measure: 'recordInfo calls per task',
      value: adaptive.callsPerTask.toFixed(1),
      goal: `≤ ${CALLS_PER_TASK_GOAL}`,
      baseline: baseline(fixed2.callsPerTask.toFixed(1)),
      met: adaptive.callsPerTask <= CALLS_PER_TASK_GOAL,
    },
    {
      scenario,
      measure: 'tasks seen finished',
      value: `${adaptive.finished} of ${adaptive.tasks}`,
      goal: `${adaptive.tasks} of ${adaptive.tasks}`,
      baseline: baseline(`${fixed2.finished}`),
      met: adaptive.finished === adaptive.tasks,
    },
  ];
  const [driftAdaptive, driftFixed] = driftRuns;
  if (driftAdaptive?.focus && driftFixed?.focus)
    rows.push({
      scenario,
      measure: 'after drift (2× slower): lag p50 / p95, calls',
      value: `${formatSeconds(driftAdaptive.focus.lag.p50)} / ${formatSeconds(driftAdaptive.focus.lag.p95)}, ${driftAdaptive.focus.callsPerTask.toFixed(1)}`,
      goal: '',
      baseline: baseline(
        `${formatSeconds(driftFixed.focus.lag.p50)} / ${formatSeconds(driftFixed.focus.lag.p95)}, ${driftFixed.focus.callsPerTask.toFixed(1)}`,
      ),
    });
  const [cappedAdaptive, cappedFixed] = cappedRuns;
  if (cappedAdaptive && cappedFixed)
    rows.push({
      scenario,
      measure: `cap ${RATE_CAP_PER_SECOND} req/s: lag p50 / p95, max req/s, 429s`,
      value: `${formatSeconds(cappedAdaptive.lag.p50)} / ${formatSeconds(cappedAdaptive.lag.p95)}, ${cappedAdaptive.maxCallsInAnySecond}, ${cappedAdaptive.rateLimited}`,
      goal: `≤ ${RATE_CAP_PER_SECOND} req/s, 0 429s`,
      baseline: baseline(
        `${formatSeconds(cappedFixed.lag.p50)} / ${formatSeconds(cappedFixed.lag.p95)}, ${cappedFixed.maxCallsInAnySecond}, ${cappedFixed.rateLimited}`,
      ),
      met:
        cappedAdaptive.maxCallsInAnySecond <= RATE_CAP_PER_SECOND &&
        cappedAdaptive.rateLimited === 0,
    });

  const header = ['Strategy', 'lag p50', 'lag p95', 'lag max', 'calls/task'];
  const details = [
    `Trace: ${traceSummary(trace)}.\n\n` +
      markdownTable(
        header,
        runs.map((run) => [run.strategy, ...lagCells(run)]),
      ),
    `Drift: from task ${driftFrom} on, every task takes twice as long (figures for those tasks only).\n\n` +
      markdownTable(
        header,
        driftRuns.map((run) => [run.strategy, ...lagCells(run.focus!)]),
      ),
    `Rate cap: poller configured for ${RATE_CAP_PER_SECOND} req/s, API rejecting more than ${RATE_CAP_PER_SECOND} in any second.\n\n` +
      markdownTable(
        [...header, 'max req/s', '429s'],
        cappedRuns.map((run) => [
          run.strategy,
          ...lagCells(run),
          `${run.maxCallsInAnySecond}`,
          `${run.rateLimited}`,
        ]),
      ),
  ];
  return {
    id: 'polling',
    title: '1 Polling efficiency',
    rows,
    details,
    data: { trace: traceSummary(trace), runs, driftRuns, cappedRuns },
  };
}
