import { insertionIndex } from '../sorted.js';

/**
 * Sliding-window arithmetic for the API's rate limits, kept pure so it can be tested on a virtual
 * clock. A call occupies the window from the moment it is sent until its answer arrives, and is
 * then dated by the answer: the API saw it somewhere in between, so dating it by the later end
 * means no ordering of network delays can put more than the limit into any window at the API.
 */

export interface WindowRule {
  /** Calls allowed in any window of this length. */
  limit: number;
  windowMs: number;
}

export interface WindowLog {
  /** When each answered call was answered, ascending. */
  answered: readonly number[];
  /** Calls sent and not yet answered: they count in every window until they are. */
  inFlight: number;
}

/** Extra distance kept from each window's edge, for clocks that disagree by a few milliseconds. */
export const DEFAULT_GUARD_MS = 10;

/**
 * How long to wait before one more call may be sent: 0 when it may go now; Infinity when only
 * an answer still outstanding can make room (the caller waits for that answer instead).
 */
export function waitBeforeNextCall(
  log: WindowLog,
  now: number,
  rules: readonly WindowRule[],
  guardMs = DEFAULT_GUARD_MS,
): number {
  let wait = 0;
  for (const { limit, windowMs } of rules) {
    const since = now - windowMs - guardMs;
    const firstInside = insertionIndex(log.answered, since);
    const inside = log.answered.length - firstInside + log.inFlight;
    if (inside < limit) continue;
    // Room comes once enough of the answered calls in the window have left it.
    const mustLeave = inside - limit + 1;
    if (mustLeave > log.answered.length - firstInside) return Number.POSITIVE_INFINITY;
    const leaving = log.answered[firstInside + mustLeave - 1]!;
    wait = Math.max(wait, leaving + windowMs + guardMs - now);
  }
  return Math.max(0, wait);
}

/** Answered calls older than every window say nothing any more. */
export function forgetBefore(
  answered: number[],
  now: number,
  rules: readonly WindowRule[],
  guardMs = DEFAULT_GUARD_MS,
): void {
  const longest = Math.max(0, ...rules.map((rule) => rule.windowMs));
  const keepFrom = insertionIndex(answered, now - longest - guardMs);
  if (keepFrom > 0) answered.splice(0, keepFrom);
}

/** The most calls in any window of `windowMs` (half-open) among the given times: for tests and benchmarks. */
export function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
