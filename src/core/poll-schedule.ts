import type { Resolution } from './options.js';

export interface PollScheduleSettings {
  /** Spacing of polls while a task is likely to finish: the worst notification lag in that window. */
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
 * What the poller has learned about how long tasks take, per resolution (larger images take
 * longer), from the `costTime` of tasks it saw finish. A sliding window follows drift.
 */
export class DurationModel {
  private readonly samples = new Map<Resolution, number[]>();

  observe(resolution: Resolution, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    let list = this.samples.get(resolution);
    if (!list) this.samples.set(resolution, (list = []));
    list.push(durationMs);
    if (list.length > SAMPLE_WINDOW) list.shift();
  }

  /** Early and late quantiles of the learned durations, or undefined while too few are known. */
  window(resolution: Resolution, minSamples: number): { early: number; late: number } | undefined {
    const list = this.samples.get(resolution);
    if (!list || list.length < minSamples) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    return { early: quantile(sorted, EARLY_QUANTILE), late: quantile(sorted, LATE_QUANTILE) };
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
 * When to poll a task next, given how long it has been running. Polling before almost any task
 * could be done only spends calls; inside the window where tasks finish, polls are spaced by the
 * target lag; past it the rare stragglers are polled ever less often.
 */
export function nextPollDelay(
  ageMs: number,
  window: { early: number; late: number },
  settings: PollScheduleSettings,
): number {
  const clamp = (ms: number) =>
    Math.round(Math.min(settings.maxIntervalMs, Math.max(settings.minIntervalMs, ms)));
  // Waiting out the early window is one long sleep, not a poll interval, so maxIntervalMs does not cap it.
  if (ageMs < window.early)
    return Math.round(Math.max(settings.minIntervalMs, window.early - ageMs));
  if (ageMs <= window.late) return clamp(settings.targetIntervalMs);
  const overrun = (ageMs - window.late) / Math.max(window.late, 1);
  return clamp(settings.targetIntervalMs * (1 + 2 * overrun));
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
