import type { ApiEndpointName, ApiLimits } from '../core/api/limits.js';

/** The body's `data` of a 429, as the API documents it. */
export interface RateLimitRefusal {
  retryAfter: number;
  limit: number;
  tier: string;
  windowSeconds: number;
}

const WINDOWS = [
  { seconds: 1, field: 'perSecond' },
  { seconds: 60, field: 'perMinute' },
] as const;

/**
 * The API's request limits per key, as documented: for each endpoint a 1-second and a 60-second
 * sliding window; a request over either is refused (429) and not queued, and a refused request
 * does not use up the window.
 */
export class KeyRateLimits {
  /** Accepted request times per key and endpoint, ascending. */
  private readonly accepted = new Map<string, number[]>();
  readonly refused: Record<ApiEndpointName, number> = { createTask: 0, recordInfo: 0 };

  constructor(private readonly limits: ApiLimits | undefined) {}

  get enforced(): boolean {
    return this.limits !== undefined;
  }

  /** Answers undefined when the key's request may proceed (and counts it), or why it may not. */
  admit(key: string, endpoint: ApiEndpointName, now: number): RateLimitRefusal | undefined {
    if (!this.limits) return undefined;
    const slot = `${endpoint}\u0000${key}`;
    let times = this.accepted.get(slot);
    if (!times) this.accepted.set(slot, (times = []));
    const dropBefore = times.findIndex((at) => at > now - 60_000);
    times.splice(0, dropBefore === -1 ? times.length : dropBefore);
    let refusal: RateLimitRefusal | undefined;
    for (const window of WINDOWS) {
      const limit = this.limits[endpoint][window.field];
      const windowMs = window.seconds * 1000;
      const inside = times.filter((at) => at > now - windowMs);
      if (inside.length < limit) continue;
      // Room comes when the oldest request that must leave the window has left it.
      const leavesAt = inside[inside.length - limit]! + windowMs;
      const retryAfter = Math.max(1, Math.ceil((leavesAt - now) / 1000));
      if (!refusal || retryAfter > refusal.retryAfter)
        refusal = { retryAfter, limit, tier: this.limits.tier, windowSeconds: window.seconds };
    }
    if (refusal) this.refused[endpoint]++;
    else times.push(now);
    return refusal;
  }
}
