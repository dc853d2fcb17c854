import type { Resolution } from './options.js';
import { insertionIndex } from './sorted.js';

export interface PollScheduleSettings {
  /**
   * The notification lag to match: polls are placed so that the lag between a task finishing and
   * the poll that sees it is no worse than polling every `targetIntervalMs` would give (median
   * below half of it, 95th percentile below it), using as few calls as the learned durations allow.
   */
  targetIntervalMs: number;
  /** Spacing is never shorter than this, whatever the model says. */
  minIntervalMs: number;
  /** Spacing for tasks running far longer than usual. */
  maxIntervalMs: number;
  /** What to assume about task durations before enough have been seen. */
  priorDurationMs: { early: number; late: number };
  /** Durations seen before the learned distribution replaces the prior. */
  minSamples: number;
}

export const DEFAULT_POLL_SCHEDULE: PollScheduleSettings = {
  targetIntervalMs: 2_000,
  minIntervalMs: 250,
  maxIntervalMs: 15_000,
  // The docs' own examples finish in 32 s and 60 s.
  priorDurationMs: { early: 12_000, late: 120_000 },
  minSamples: 20,
};

/** The share of tasks allowed to finish before the first poll, and after which polling slows down. */
const EARLY_QUANTILE = 0.03;
const LATE_QUANTILE = 0.97;
const SAMPLE_WINDOW = 500;

/**
 * Drift detection. Of the latest DRIFT_RECENT durations, normally about 6 % fall outside the
 * learned 3–97 % window; DRIFT_SURPRISES or more (chance well under one in ten thousand when
 * nothing changed) means the distribution moved, and the older samples are dropped so the
 * schedule follows at once instead of after hundreds of tasks.
 */
const DRIFT_RECENT = 20;
const DRIFT_SURPRISES = 8;

/** Re-plan after this share of the window has been replaced; planning takes a few milliseconds. */
const REPLAN_SHARE = 0.05;

/**
 * The lag the plan aims for, as shares of targetIntervalMs. Fixed polling every T gives a median
 * lag of T/2 and a 95th percentile of 0.95 T; aiming slightly below both keeps the real figures
 * under them despite sampling noise in the learned durations and rate-limit spacing of polls.
 */
const PLANNED_LAG_P50_SHARE = 0.46;
const PLANNED_LAG_P95_SHARE = 0.9;

/** Past the age where fewer than this share of the learned tasks are still running, the plan ends. */
const TAIL_SHARE = 0.01;
const TAIL_MIN_SURVIVORS = 1;

/**
 * Candidate hazard thresholds, as shares of the table's ages with a lower hazard: below the
 * threshold the plan polls sparsely. 0 means one interval throughout the learned range.
 */
const HAZARD_THRESHOLD_SHARES = [0, 0.15, 0.3];

/** Candidate exponents for spacing proportional to hazard^-exponent (0.5 is the classic form). */
const HAZARD_EXPONENTS = [0.5, 0.25];

/** Resolution of the interval table: fine enough that neighbouring entries barely differ. */
const PLAN_STEP_MS = 250;

/**
 * A learned poll schedule for one resolution: the interval to wait at each age, derived from the
 * hazard rate of the learned durations (how likely a task still running at that age is to finish
 * in the next moment).
 */
export interface PollPlan {
  /** Age of the first poll; about EARLY_QUANTILE of tasks finish before it. */
  firstPollMs: number;
  /** intervalsMs[i] is the wait after a poll at age firstPollMs + i * stepMs. */
  stepMs: number;
  intervalsMs: number[];
  /** From this age on, the learned durations say too little; stragglers are polled ever less often. */
  tailFromMs: number;
  /** What the plan gives on the durations it was learned from. */
  predicted: { lagP50Ms: number; lagP95Ms: number; callsPerTask: number };
}

/**
 * What the poller has learned about how long tasks take, per resolution (larger images take
 * longer), from the `costTime` of tasks it saw finish. A sliding window follows slow drift, and a
 * run of surprising durations resets it to follow a sudden change.
 */
export class DurationModel {
  private readonly samples = new Map<Resolution, ResolutionSamples>();

  observe(resolution: Resolution, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    let entry = this.samples.get(resolution);
    if (!entry) this.samples.set(resolution, (entry = new ResolutionSamples()));
    entry.add(durationMs);
  }

  /** Early and late quantiles of the learned durations, or undefined while too few are known. */
  window(resolution: Resolution, minSamples: number): { early: number; late: number } | undefined {
    const sorted = this.samples.get(resolution)?.sorted;
    if (!sorted || sorted.length < minSamples) return undefined;
    return { early: quantile(sorted, EARLY_QUANTILE), late: quantile(sorted, LATE_QUANTILE) };
  }

  /** Share of the learned durations longer than `ageMs`, or undefined while too few are known. */
  survival(resolution: Resolution, ageMs: number, minSamples: number): number | undefined {
    const sorted = this.samples.get(resolution)?.sorted;
    if (!sorted || sorted.length < minSamples) return undefined;
    return (sorted.length - insertionIndex(sorted, ageMs)) / sorted.length;
  }

  /** The hazard-rate plan for a resolution, or undefined while too few durations are known. */
  plan(resolution: Resolution, settings: PollScheduleSettings): PollPlan | undefined {
    const entry = this.samples.get(resolution);
    if (!entry || entry.sorted.length < settings.minSamples) return undefined;
    return entry.plan(settings);
  }
}

class ResolutionSamples {
  /** In arrival order, for the sliding window. */
  private readonly recent: number[] = [];
  /** The same durations, ascending. */
  readonly sorted: number[] = [];
  /** Whether each of the latest observations fell outside the window learned before it. */
  private surprises: boolean[] = [];
  private cachedPlan: { plan: PollPlan; settings: PollScheduleSettings } | undefined;
  private changesSincePlan = 0;

  add(durationMs: number): void {
    const enough = this.sorted.length >= DRIFT_RECENT;
    const surprising =
      enough &&
      (durationMs < quantile(this.sorted, EARLY_QUANTILE) ||
        durationMs > quantile(this.sorted, LATE_QUANTILE));
    this.surprises.push(surprising);
    if (this.surprises.length > DRIFT_RECENT) this.surprises.shift();

    this.recent.push(durationMs);
    this.sorted.splice(insertionIndex(this.sorted, durationMs), 0, durationMs);
    if (this.recent.length > SAMPLE_WINDOW) this.remove(this.recent.shift()!);
    this.changesSincePlan++;

    if (this.surprises.filter(Boolean).length >= DRIFT_SURPRISES) {
      while (this.recent.length > DRIFT_RECENT) this.remove(this.recent.shift()!);
      this.surprises = [];
      this.cachedPlan = undefined;
    }
  }

  plan(settings: PollScheduleSettings): PollPlan {
    const stale =
      !this.cachedPlan ||
      this.cachedPlan.settings !== settings ||
      this.changesSincePlan >= Math.max(1, this.sorted.length * REPLAN_SHARE);
    if (stale) {
      this.cachedPlan = { plan: planPolls(this.sorted, settings), settings };
      this.changesSincePlan = 0;
    }
    return this.cachedPlan!.plan;
  }

  private remove(durationMs: number): void {
    const index = insertionIndex(this.sorted, durationMs) - 1;
    if (index >= 0 && this.sorted[index] === durationMs) this.sorted.splice(index, 1);
  }
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/**
 * When to poll a task next under the prior (before anything is learned), given how long it has
 * been running. Polling before almost any task could be done only spends calls; inside the window
 * where tasks finish, polls are spaced by the target lag; past it the rare stragglers are polled
 * ever less often.
 */
export function nextPollDelay(
  ageMs: number,
  window: { early: number; late: number },
  settings: PollScheduleSettings,
): number {
  // Waiting out the early window is one long sleep, not a poll interval, so maxIntervalMs does not cap it.
  if (ageMs < window.early)
    return Math.round(Math.max(settings.minIntervalMs, window.early - ageMs));
  if (ageMs <= window.late) return clampInterval(settings.targetIntervalMs, settings);
  return stragglerDelay(ageMs, window.late, settings);
}

/** When to poll a task next under a learned plan, given how long it has been running. */
export function plannedPollDelay(
  ageMs: number,
  plan: PollPlan,
  settings: PollScheduleSettings,
): number {
  if (ageMs < plan.firstPollMs)
    return Math.round(Math.max(settings.minIntervalMs, plan.firstPollMs - ageMs));
  if (ageMs >= plan.tailFromMs) return stragglerDelay(ageMs, plan.tailFromMs, settings);
  const index = Math.min(
    plan.intervalsMs.length - 1,
    Math.floor((ageMs - plan.firstPollMs) / plan.stepMs),
  );
  return plan.intervalsMs[index]!;
}

function clampInterval(ms: number, settings: PollScheduleSettings): number {
  return Math.round(Math.min(settings.maxIntervalMs, Math.max(settings.minIntervalMs, ms)));
}

/** Past the learned range, the interval grows with how far past it the task is, up to the maximum. */
function stragglerDelay(ageMs: number, lateMs: number, settings: PollScheduleSettings): number {
  const overrun = (ageMs - lateMs) / Math.max(lateMs, 1);
  return clampInterval(settings.targetIntervalMs * (1 + 2 * overrun), settings);
}

/**
 * Derives a poll plan from learned durations (ascending). Minimizing calls plus lag gives a poll
 * spacing proportional to 1/sqrt(hazard): polls are dense where running tasks are likely to
 * finish and sparse where they are not. The constant is then chosen as large as possible (fewest
 * calls) while the lag the plan gives on these same durations stays under the target's.
 */
export function planPolls(sorted: readonly number[], settings: PollScheduleSettings): PollPlan {
  const count = sorted.length;
  const firstPollMs = Math.round(quantile(sorted, EARLY_QUANTILE));
  const tailSurvivors = Math.max(TAIL_MIN_SURVIVORS, Math.ceil(count * TAIL_SHARE));
  const tailFromMs = Math.max(firstPollMs + PLAN_STEP_MS, sorted[count - tailSurvivors] ?? 0);
  const bandwidthMs = Math.max(settings.minIntervalMs, silvermanBandwidth(sorted));

  // Hazard at each table age: density (smoothed over ± bandwidth) over the share still running.
  const hazards: number[] = [];
  for (let age = firstPollMs; age < tailFromMs; age += PLAN_STEP_MS) {
    const finishedNear =
      insertionIndex(sorted, age + bandwidthMs) - insertionIndex(sorted, age - bandwidthMs);
    const running = count - insertionIndex(sorted, age);
    hazards.push(running > 0 ? finishedNear / (2 * bandwidthMs * running) : 0);
  }
  // No gap inside the learned range grows past twice the target, however quiet the estimate.
  const longestMs = Math.min(settings.maxIntervalMs, 2 * settings.targetIntervalMs);
  const clamp = (ms: number) =>
    Math.round(Math.min(longestMs, Math.max(settings.minIntervalMs, ms)));
  const sortedHazards = [...hazards].sort((a, b) => a - b);
  const typicalHazard = quantile(sortedHazards, 0.5) || Number.MIN_VALUE;

  // Candidate shapes, each scaled by one level (its interval where the hazard is typical).
  const shapes: Array<(levelMs: number) => number[]> = [
    // Spacing proportional to 1/sqrt(hazard): what minimizing calls plus mean lag gives.
    ...HAZARD_EXPONENTS.map(
      (exponent) => (levelMs: number) =>
        hazards.map((hazard) =>
          clamp(hazard > 0 ? levelMs * (typicalHazard / hazard) ** exponent : longestMs),
        ),
    ),
    // Dense where the hazard is above a threshold, sparse elsewhere: what a lag-percentile
    // target gives. A threshold of 0 is one interval throughout the learned range.
    ...HAZARD_THRESHOLD_SHARES.map((share) => {
      const threshold = share === 0 ? 0 : quantile(sortedHazards, share);
      return (levelMs: number) =>
        hazards.map((hazard) => clamp(hazard >= threshold ? levelMs : longestMs));
    }),
  ];
  const planWith = (intervalsMs: number[]): PollPlan =>
    predict(
      {
        firstPollMs,
        stepMs: PLAN_STEP_MS,
        tailFromMs,
        intervalsMs,
        predicted: { lagP50Ms: 0, lagP95Ms: 0, callsPerTask: 0 },
      },
      sorted,
      settings,
    );
  const acceptable = (plan: PollPlan) =>
    plan.predicted.lagP50Ms <= PLANNED_LAG_P50_SHARE * settings.targetIntervalMs &&
    plan.predicted.lagP95Ms <= PLANNED_LAG_P95_SHARE * settings.targetIntervalMs;

  let best: PollPlan | undefined;
  for (const shape of shapes) {
    // Bisection on the level: longer means fewer calls and more lag.
    let low = settings.minIntervalMs;
    let high = longestMs;
    let fitting: PollPlan | undefined;
    for (let step = 0; step < 16; step++) {
      const middle = (low + high) / 2;
      const plan = planWith(shape(middle));
      if (acceptable(plan)) {
        fitting = plan;
        low = middle;
      } else high = middle;
    }
    if (fitting && (!best || fitting.predicted.callsPerTask < best.predicted.callsPerTask))
      best = fitting;
  }
  // Nothing fits only when the learned durations are odd: poll at the target's spacing
  // throughout, as before anything was learned.
  return best ?? planWith(hazards.map(() => clamp(settings.targetIntervalMs)));
}

/** Robust rule-of-thumb kernel width: wide enough to smooth few samples, narrow for many. */
function silvermanBandwidth(sorted: readonly number[]): number {
  const count = sorted.length;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / count;
  const deviation = Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / count);
  const interquartile = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  const spread = Math.min(deviation, interquartile / 1.34) || deviation || 1;
  return 1.06 * spread * count ** -0.2;
}

/**
 * What the plan would give on the learned durations. A task finishing at age d inside the plan
 * waits for the next poll, anywhere in the interval around d: its lag is taken as uniform over
 * that interval rather than replayed against one grid of poll times, so the prediction is smooth
 * (and monotonic in the interval) and cannot be tuned to fall just before the learned samples.
 */
function predict(
  plan: PollPlan,
  sorted: readonly number[],
  settings: PollScheduleSettings,
): PollPlan {
  const exactLags: number[] = [];
  const lagSpans: number[] = [];
  let calls = 0;
  // Polls made before a given age: one at firstPollMs, then one per interval.
  let age = plan.firstPollMs;
  let pollsBefore = 1;
  for (const duration of sorted) {
    if (duration <= plan.firstPollMs) {
      exactLags.push(plan.firstPollMs - duration);
      calls += 1;
      continue;
    }
    let interval = plannedPollDelay(age, plan, settings);
    while (age + interval < duration) {
      age += interval;
      pollsBefore++;
      interval = plannedPollDelay(age, plan, settings);
    }
    lagSpans.push(interval);
    // The polls made up to the start of its interval, and the one at its end that sees it.
    calls += pollsBefore + 1;
  }
  // The lag distribution is a mixture: exact lags, plus uniform lags over each span. Its share at
  // or below x is (exact lags <= x) + (spans <= x) + x * (sum of 1/span over spans > x), over n;
  // sorted spans with suffix sums of 1/span make each evaluation a binary search.
  const spans = Float64Array.from(lagSpans).sort();
  const exacts = Float64Array.from(exactLags).sort();
  const inverseSuffix = new Float64Array(spans.length + 1);
  for (let index = spans.length - 1; index >= 0; index--)
    inverseSuffix[index] = inverseSuffix[index + 1]! + 1 / spans[index]!;
  const count = sorted.length;
  const shareWithLagAtMost = (lag: number) => {
    const spansWithin = insertionIndex(spans, lag);
    return (insertionIndex(exacts, lag) + spansWithin + lag * inverseSuffix[spansWithin]!) / count;
  };
  const lagQuantile = (target: number) => {
    let low = 0;
    let high = Math.max(exacts[exacts.length - 1] ?? 0, spans[spans.length - 1] ?? 0);
    for (let step = 0; step < 32; step++) {
      const middle = (low + high) / 2;
      if (shareWithLagAtMost(middle) >= target) high = middle;
      else low = middle;
    }
    return high;
  };
  return {
    ...plan,
    predicted: {
      lagP50Ms: lagQuantile(0.5),
      lagP95Ms: lagQuantile(0.95),
      callsPerTask: calls / count,
    },
  };
}

/** A task outliving everything learned is rarely the one to spend a scarce call on. */
const STRAGGLER_CHANCE_SCALE = 1e-6;

/**
 * How likely a task still running at `fromAgeMs` (its last poll) is to have finished by
 * `toAgeMs` (now): what one recordInfo call on it is worth. From the learned durations, or the
 * prior (finishing evenly between its early and late ages) before enough are known. Under a
 * tight budget the poller spends its calls on the tasks where this is highest.
 */
export function completionChance(
  model: DurationModel,
  resolution: Resolution,
  settings: PollScheduleSettings,
  fromAgeMs: number,
  toAgeMs: number,
): number {
  const before = survivalAt(model, resolution, settings, fromAgeMs);
  if (before <= 0)
    return (STRAGGLER_CHANCE_SCALE * Math.max(0, toAgeMs - fromAgeMs)) / Math.max(1, toAgeMs);
  return Math.max(0, (before - survivalAt(model, resolution, settings, toAgeMs)) / before);
}

/** Share of tasks still running at an age: learned, or the prior's until enough are known. */
function survivalAt(
  model: DurationModel,
  resolution: Resolution,
  settings: PollScheduleSettings,
  ageMs: number,
): number {
  const learned = model.survival(resolution, ageMs, settings.minSamples);
  return learned === undefined ? priorSurvival(ageMs, settings.priorDurationMs) : learned;
}

function priorSurvival(ageMs: number, window: { early: number; late: number }): number {
  if (ageMs <= window.early || !Number.isFinite(window.late)) return 1;
  if (ageMs >= window.late) return 0;
  return (window.late - ageMs) / (window.late - window.early);
}

/**
 * Settings under which the poller polls every `intervalMs` from submission and never learns:
 * the fixed-interval strategy other bots use, run through the same machinery for comparison.
 */
export function fixedPollSchedule(intervalMs: number): PollScheduleSettings {
  return {
    targetIntervalMs: intervalMs,
    minIntervalMs: intervalMs,
    maxIntervalMs: intervalMs,
    priorDurationMs: { early: 0, late: Number.POSITIVE_INFINITY },
    minSamples: Number.POSITIVE_INFINITY,
  };
}
