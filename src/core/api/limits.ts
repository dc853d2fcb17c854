/**
 * The image API's limits per key, by tier (the provider's published table). Both windows are
 * enforced by the API; a request over either answers 429 and is not queued, so the bot must never
 * plan on more than these numbers.
 */
export const API_TIERS = ['free', 'basic', 'standard', 'pro', 'ultra', 'enterprise'] as const;
export type ApiTier = (typeof API_TIERS)[number];

export type ApiEndpointName = 'createTask' | 'recordInfo';

export interface WindowLimits {
  perSecond: number;
  perMinute: number;
}

export interface ApiLimits {
  tier: ApiTier;
  createTask: WindowLimits;
  recordInfo: WindowLimits;
  /** Tasks the key may have waiting or running at once; one more answers 409. */
  activeTasks: number;
}

export const TIER_LIMITS: Record<ApiTier, ApiLimits> = {
  free: {
    tier: 'free',
    createTask: { perSecond: 1, perMinute: 10 },
    recordInfo: { perSecond: 2, perMinute: 60 },
    activeTasks: 1,
  },
  basic: {
    tier: 'basic',
    createTask: { perSecond: 5, perMinute: 180 },
    recordInfo: { perSecond: 20, perMinute: 1000 },
    activeTasks: 5,
  },
  standard: {
    tier: 'standard',
    createTask: { perSecond: 10, perMinute: 600 },
    recordInfo: { perSecond: 50, perMinute: 3000 },
    activeTasks: 15,
  },
  pro: {
    tier: 'pro',
    createTask: { perSecond: 20, perMinute: 1200 },
    recordInfo: { perSecond: 100, perMinute: 6000 },
    activeTasks: 30,
  },
  ultra: {
    tier: 'ultra',
    createTask: { perSecond: 50, perMinute: 3000 },
    recordInfo: { perSecond: 200, perMinute: 12000 },
    activeTasks: 80,
  },
  enterprise: {
    tier: 'enterprise',
    createTask: { perSecond: 100, perMinute: 6000 },
    recordInfo: { perSecond: 500, perMinute: 30000 },
    activeTasks: 300,
  },
};

/**
 * Overrides of a tier's numbers, `API_LIMITS`: comma-separated items, each one of
 * `createTask=N/s`, `createTask=N/min`, `recordInfo=N/s`, `recordInfo=N/min`, `activeTasks=N`.
 * Returns the problems found, or the overrides.
 */
export type ApiLimitOverrides = {
  createTask?: Partial<WindowLimits>;
  recordInfo?: Partial<WindowLimits>;
  activeTasks?: number;
};

export function parseApiLimitOverrides(
  text: string,
): { overrides: ApiLimitOverrides } | { problem: string } {
  const overrides: ApiLimitOverrides = {};
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const windowed = /^(createTask|recordInfo)\s*=\s*(\d+)\s*\/\s*(s|sec|second|min|minute)$/i.exec(
      item,
    );
    if (windowed) {
      const endpoint = windowed[1]!.toLowerCase() === 'createtask' ? 'createTask' : 'recordInfo';
      const value = Number(windowed[2]);
      if (value < 1) return { problem: `"${item}": a limit must be at least 1` };
      const window = windowed[3]!.toLowerCase().startsWith('s') ? 'perSecond' : 'perMinute';
      overrides[endpoint] = { ...overrides[endpoint], [window]: value };
      continue;
    }
    const active = /^activeTasks\s*=\s*(\d+)$/i.exec(item);
    if (active) {
      const value = Number(active[1]);
      if (value < 1) return { problem: `"${item}": activeTasks must be at least 1` };
      overrides.activeTasks = value;
      continue;
    }
    return {
      problem: `"${item}" is not one of createTask=N/s, createTask=N/min, recordInfo=N/s, recordInfo=N/min, activeTasks=N`,
    };
  }
  return { overrides };
}

export function resolveApiLimits(tier: ApiTier, overrides: ApiLimitOverrides = {}): ApiLimits {
  const base = TIER_LIMITS[tier];
  return {
    tier,
    createTask: { ...base.createTask, ...overrides.createTask },
    recordInfo: { ...base.recordInfo, ...overrides.recordInfo },
    activeTasks: overrides.activeTasks ?? base.activeTasks,
  };
}

/** What a 429's body says about the key's real limits (every field optional: bodies vary). */
export interface RateLimitNotice {
  /** Seconds to wait before asking again. */
  retryAfterSeconds?: number;
  /** The limit that was exceeded, for `windowSeconds`. */
  limit?: number;
  tier?: string;
  windowSeconds?: number;
}

export function isApiTier(value: unknown): value is ApiTier {
  return typeof value === 'string' && (API_TIERS as readonly string[]).includes(value);
}

function lowerWindows(current: WindowLimits, ceiling: WindowLimits): WindowLimits {
  return {
    perSecond: Math.min(current.perSecond, ceiling.perSecond),
    perMinute: Math.min(current.perMinute, ceiling.perMinute),
  };
}

/**
 * The limits to plan on after a 429 on `endpoint`: never more than the tier the API named, nor
 * than the limit it named for its window; never raised. Returns the same object when the notice
 * tells nothing new, so a caller can tell a real change (worth one log line) from a repeat.
 */
export function lowerLimits(
  current: ApiLimits,
  endpoint: ApiEndpointName,
  notice: RateLimitNotice,
): ApiLimits {
  let next: ApiLimits = current;
  if (isApiTier(notice.tier)) {
    const ceiling = TIER_LIMITS[notice.tier];
    next = {
      tier:
        API_TIERS.indexOf(ceiling.tier) < API_TIERS.indexOf(current.tier)
          ? ceiling.tier
          : current.tier,
      createTask: lowerWindows(current.createTask, ceiling.createTask),
      recordInfo: lowerWindows(current.recordInfo, ceiling.recordInfo),
      activeTasks: Math.min(current.activeTasks, ceiling.activeTasks),
    };
  }
  const window =
    notice.windowSeconds === 1
      ? 'perSecond'
      : notice.windowSeconds === 60
        ? 'perMinute'
        : undefined;
  if (window && notice.limit !== undefined && notice.limit >= 1) {
    const limit = Math.floor(notice.limit);
    if (limit < next[endpoint][window])
      next = { ...next, [endpoint]: { ...next[endpoint], [window]: limit } };
  }
  return sameLimits(next, current) ? current : next;
}

export function sameLimits(a: ApiLimits, b: ApiLimits): boolean {
  return (
    a.tier === b.tier &&
    a.activeTasks === b.activeTasks &&
    a.createTask.perSecond === b.createTask.perSecond &&
    a.createTask.perMinute === b.createTask.perMinute &&
    a.recordInfo.perSecond === b.recordInfo.perSecond &&
    a.recordInfo.perMinute === b.recordInfo.perMinute
  );
}

/** `createTask=10/min`-style text for API_LIMITS naming the numbers that differ from the tier's. */
export function describeOverrides(limits: ApiLimits): string {
  const tier = TIER_LIMITS[limits.tier];
  const items: string[] = [];
  for (const endpoint of ['createTask', 'recordInfo'] as const) {
    if (limits[endpoint].perSecond !== tier[endpoint].perSecond)
      items.push(`${endpoint}=${limits[endpoint].perSecond}/s`);
    if (limits[endpoint].perMinute !== tier[endpoint].perMinute)
      items.push(`${endpoint}=${limits[endpoint].perMinute}/min`);
  }
  if (limits.activeTasks !== tier.activeTasks) items.push(`activeTasks=${limits.activeTasks}`);
  return items.join(',');
}
