import type { Redis } from 'ioredis';
import {
  API_TIERS,
  sameLimits,
  type ApiEndpointName,
  type ApiLimits,
} from '../../core/api/limits.js';
import type { WindowBackend } from '../../core/budget/api-budget.js';
import { DEFAULT_GUARD_MS, type WindowRule } from '../../core/budget/rate-window.js';

/**
 * A sliding-window log per endpoint in one sorted set, checked and updated by one script so that
 * replicas cannot race between the count and the insert. Times come from Redis's own clock, the
 * one clock every replica shares. A call in flight is entered dated `now + maxCallMs` (it cannot
 * be answered later than that, so a replica killed mid-call blocks nobody for long) and redated
 * by its answer. Limits lowered by a 429 are kept beside it, so every replica keeps to them.
 *
 * KEYS: log, pause, lowered. ARGV: id, guardMs, maxCallMs, endpoint, then limit/windowMs pairs.
 * Answers 0 (taken), a wait in ms, or -1 (only an answer in flight can make room).
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local guard = tonumber(ARGV[2])
local longest = 0
for i = 5, #ARGV, 2 do
  local w = tonumber(ARGV[i + 1])
  if w > longest then longest = w end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest - guard)
local wait = 0
for i = 5, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local w = tonumber(ARGV[i + 1])
  local lowered = redis.call('HGET', KEYS[3], ARGV[4] .. ':' .. w)
  if lowered and tonumber(lowered) < limit then limit = tonumber(lowered) end
  local since = now - w - guard
  local inside = redis.call('ZCOUNT', KEYS[1], '(' .. since, '+inf')
  if inside >= limit then
    local leaving = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. since, '+inf', 'WITHSCORES', 'LIMIT', inside - limit, 1)
    local at = tonumber(leaving[2])
    if at > now then return -1 end
    local until_free = at + w + guard - now
    if until_free > wait then wait = until_free end
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest + tonumber(ARGV[3]) + guard + 1000)
return 0`;

/** KEYS: log. ARGV: id, answered (1/0). */
const SETTLE = `
if ARGV[2] == '1' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 1`;

/** KEYS: pause. ARGV: ms. Never shortens a pause another replica set. */
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1`;

/**
 * KEYS: lowered. ARGV: field/value pairs. Keeps the lower of the stored and the given value, for
 * an hour: a key upgraded meanwhile gets its speed back without anyone clearing Redis.
 */
const LOWER = `
for i = 1, #ARGV, 2 do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  if not stored or tonumber(stored) > tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1`;

export interface RedisWindowsOptions {
  /** Key prefix; the budget's keys are `${prefix}api-budget:…`. */
  prefix: string;
  /** The API client's timeout: no call in flight is answered later than this. */
  maxCallMs?: number;
  guardMs?: number;
  /** Quit the connection on close (when this backend opened it). */
  ownsConnection?: boolean;
}

/** The windows on Redis: one budget for every replica using the same key. */
export class RedisWindows implements WindowBackend {
  /** Other replicas' answers are not seen here, so a full window is asked about again soon. */
  readonly maxSleepMs = 50;
  private readonly maxCallMs: number;
  private readonly guardMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisWindowsOptions,
  ) {
    this.maxCallMs = options.maxCallMs ?? 35_000;
    this.guardMs = options.guardMs ?? DEFAULT_GUARD_MS;
  }

  async take(endpoint: ApiEndpointName, rules: readonly WindowRule[], id: string): Promise<number> {
    const args = rules.flatMap((rule) => [rule.limit, rule.windowMs]);
    const answer = Number(
      await this.redis.eval(
        TAKE,
        3,
        this.key(`${endpoint}:log`),
        this.key(`${endpoint}:pause`),
        this.key('lowered'),
        id,
        this.guardMs,
        this.maxCallMs,
        endpoint,
        ...args,
      ),
    );
    return answer < 0 ? Number.POSITIVE_INFINITY : answer;
  }

  async settle(endpoint: ApiEndpointName, id: string, answered: boolean): Promise<void> {
    await this.redis.eval(SETTLE, 1, this.key(`${endpoint}:log`), id, answered ? '1' : '0');
  }

  async pause(endpoint: ApiEndpointName, ms: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, this.key(`${endpoint}:pause`), Math.ceil(ms));
  }

  async lower(limits: ApiLimits): Promise<void> {
    const fields: Array<string | number> = [];
    for (const endpoint of ['createTask', 'recordInfo'] as const)
      fields.push(
        `${endpoint}:1000`,
        limits[endpoint].perSecond,
        `${endpoint}:60000`,
        limits[endpoint].perMinute,
      );
    fields.push('activeTasks', limits.activeTasks, 'tierRank', API_TIERS.indexOf(limits.tier));
    await this.redis.eval(LOWER, 1, this.key('lowered'), ...fields);
  }

  async lowered(current: ApiLimits): Promise<ApiLimits> {
    const stored = await this.redis.hgetall(this.key('lowered'));
    const lower = (field: string, value: number) => {
      const recorded = Number(stored[field]);
      return Number.isFinite(recorded) && recorded >= 1 ? Math.min(value, recorded) : value;
    };
    const windows = (endpoint: ApiEndpointName) => ({
      perSecond: lower(`${endpoint}:1000`, current[endpoint].perSecond),
      perMinute: lower(`${endpoint}:60000`, current[endpoint].perMinute),
    });
    const rank = Number(stored.tierRank);
    const next: ApiLimits = {
      tier:
        Number.isInteger(rank) && rank >= 0 && rank < API_TIERS.indexOf(current.tier)
          ? API_TIERS[rank]!
          : current.tier,
      createTask: windows('createTask'),
      recordInfo: windows('recordInfo'),
      activeTasks: lower('activeTasks', current.activeTasks),
    };
    return sameLimits(next, current) ? current : next;
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(name: string): string {
    return `${this.options.prefix}api-budget:${name}`;
  }
}
