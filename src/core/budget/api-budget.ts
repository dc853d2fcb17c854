import { silentLogger, type Logger } from '../logger.js';
import type { StoreOutage } from '../store-outage.js';
import {
  describeOverrides,
  isApiTier,
  lowerLimits,
  sameLimits,
  type ApiEndpointName,
  type ApiLimits,
  type RateLimitNotice,
} from '../api/limits.js';
import { systemClock, type Clock } from '../clock.js';
import type { WindowRule } from './rate-window.js';

/** One call's place in the budget, taken before it is sent. */
export interface BudgetPermit {
  /**
   * The call is over: `answered` (default) dates it by now, the latest the API can have seen it;
   * `false` says it was never sent and frees its place. Calling it twice changes nothing.
   */
  release(answered?: boolean): void;
}

/**
 * The API key's request budget: both of the API's windows (1 s and 60 s) for each endpoint, kept
 * separately so polling can never starve task creation nor the reverse. Per process on the
 * embedded store, shared by every replica on Redis.
 */
export interface ApiBudget {
  /** The limits planned on; lowered in place when the API reveals the key allows less. */
  readonly limits: ApiLimits;
  /** Resolves when one more call to `endpoint` fits in both windows; waiters are served in order. */
  acquire(endpoint: ApiEndpointName, signal?: AbortSignal): Promise<BudgetPermit>;
  /** No call to `endpoint` goes out for this long (a 429's retryAfter). */
  pause(endpoint: ApiEndpointName, ms: number): void;
  /** A 429 arrived: lower the limits to what it names, wait as long as it says, and tell the operator once. */
  rateLimited(endpoint: ApiEndpointName, notice: RateLimitNotice): void;
  close(): Promise<void>;
}

/**
 * Where the windows are kept: this process's memory, or Redis for every replica. `take` records a
 * call as in flight when the rules allow it and answers 0; otherwise it answers how long to wait
 * (Infinity: until an answer in flight arrives).
 */
export interface WindowBackend {
  /** Longest sleep before asking again; short on Redis, where other replicas' answers are not seen. */
  readonly maxSleepMs: number;
  take(endpoint: ApiEndpointName, rules: readonly WindowRule[], id: string): Promise<number>;
  settle(endpoint: ApiEndpointName, id: string, answered: boolean): Promise<void>;
  pause(endpoint: ApiEndpointName, ms: number): Promise<void>;
  /** Records lowered limits so every replica keeps to them. */
  lower(limits: ApiLimits): Promise<void>;
  /** `current`, lowered to what any replica has recorded; `current` itself when nothing is lower. */
  lowered(current: ApiLimits): Promise<ApiLimits>;
  close(): Promise<void>;
}

export function windowRules(limits: ApiLimits, endpoint: ApiEndpointName): WindowRule[] {
  return [
    { limit: limits[endpoint].perSecond, windowMs: 1_000 },
    { limit: limits[endpoint].perMinute, windowMs: 60_000 },
  ];
}

/** How long to wait before asking a store that failed again. */
const STORE_RETRY_MS = 500;
/** How often to look for limits another replica lowered (their windows hold at once regardless). */
const LOWERED_SYNC_MS = 5_000;

interface Waiter {
  resolve: (permit: BudgetPermit) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

class Lane {
  readonly waiters: Waiter[] = [];
  draining = false;
  /** This process's next grant: calls are spread evenly over the second rather than sent in a burst. */
  nextGrantAt = 0;
  wake: (() => void) | undefined;
}

export interface BudgetGateOptions {
  limits: ApiLimits;
  backend: WindowBackend;
  clock?: Clock;
  logger?: Logger;
  /** Where a store that does not answer is reported, so an outage is logged once for the whole bot. */
  outage?: Pick<StoreOutage, 'report'>;
}

/** The budget over a window backend: queues callers per endpoint, handles 429s, logs once. */
export class BudgetGate implements ApiBudget {
  readonly limits: ApiLimits;
  private readonly configuredTier: ApiLimits['tier'];
  private readonly backend: WindowBackend;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly lanes: Record<ApiEndpointName, Lane> = {
    createTask: new Lane(),
    recordInfo: new Lane(),
  };
  private nextId = 0;
  private readonly idPrefix = `${process.pid}-${Math.random().toString(36).slice(2, 8)}-`;
  private warned = false;
  private loweredSyncedAt = Number.NEGATIVE_INFINITY;
  private storeFailing = false;
  private closed = false;

  constructor(private readonly options: BudgetGateOptions) {
    this.limits = structuredClone(options.limits);
    this.configuredTier = options.limits.tier;
    this.backend = options.backend;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  acquire(endpoint: ApiEndpointName, signal?: AbortSignal): Promise<BudgetPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.closed) return Promise.reject(new Error('the API budget is closed'));
    const lane = this.lanes[endpoint];
    return new Promise<BudgetPermit>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = lane.waiters.indexOf(waiter);
          if (index >= 0) lane.waiters.splice(index, 1);
          reject(signal?.reason as Error);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      lane.waiters.push(waiter);
      void this.drain(endpoint);
    });
  }

  pause(endpoint: ApiEndpointName, ms: number): void {
    if (!(ms > 0)) return;
    void this.backend
      .pause(endpoint, Math.ceil(ms))
      .catch((error: unknown) => this.storeFailed(error))
      .finally(() => this.lanes[endpoint].wake?.());
  }

  rateLimited(endpoint: ApiEndpointName, notice: RateLimitNotice): void {
    const next = lowerLimits(this.limits, endpoint, notice);
    if (next !== this.limits) {
      this.apply(next);
      void this.backend.lower(this.limits).catch((error: unknown) => this.storeFailed(error));
      this.warnOnce(endpoint, notice);
    }
    if (notice.retryAfterSeconds !== undefined)
      this.pause(endpoint, notice.retryAfterSeconds * 1000);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of Object.values(this.lanes)) {
      for (const waiter of lane.waiters.splice(0)) {
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.reject(new Error('the API budget is closed'));
      }
      lane.wake?.();
    }
    await this.backend.close();
  }

  /** In place: whoever holds `limits` (the active-task line) sees the lower numbers at once. */
  private apply(next: ApiLimits): void {
    this.limits.tier = next.tier;
    this.limits.createTask = next.createTask;
    this.limits.recordInfo = next.recordInfo;
    this.limits.activeTasks = next.activeTasks;
  }

  /** Takes up limits another replica lowered, so this one plans on no more than the key allows. */
  private async syncLowered(endpoint: ApiEndpointName): Promise<void> {
    const now = this.clock.now();
    if (now - this.loweredSyncedAt < LOWERED_SYNC_MS) return;
    this.loweredSyncedAt = now;
    const next = await this.backend.lowered(this.limits);
    if (sameLimits(next, this.limits)) return;
    const tierChanged = next.tier !== this.limits.tier;
    this.apply(next);
    this.warnOnce(
      endpoint,
      tierChanged ? { tier: next.tier } : { limit: next[endpoint].perMinute, windowSeconds: 60 },
    );
  }

  private warnOnce(endpoint: ApiEndpointName, notice: RateLimitNotice): void {
    if (this.warned) return;
    this.warned = true;
    const said = {
      endpoint,
      tier: notice.tier,
      limit: notice.limit,
      windowSeconds: notice.windowSeconds,
      retryAfterSeconds: notice.retryAfterSeconds,
    };
    if (isApiTier(notice.tier) && notice.tier !== this.configuredTier) {
      this.logger.warn(
        said,
        `API_TIER is ${this.configuredTier} but the image API says this key is on the ${notice.tier} tier: keeping to the ${notice.tier} tier's limits from now on; set API_TIER=${notice.tier}`,
      );
      return;
    }
    const overrides = describeOverrides(this.limits);
    this.logger.warn(
      said,
      `the image API allows this key fewer ${endpoint} calls than API_TIER=${this.configuredTier} (with API_LIMITS) says: keeping to ${notice.limit ?? 'its limit'} per ${notice.windowSeconds ?? '?'} s from now on; set API_LIMITS=${overrides}`,
    );
  }

  private storeFailed(error: unknown): void {
    if (this.options.outage) {
      this.options.outage.report('API budget', error);
      return;
    }
    if (this.storeFailing) return;
    this.storeFailing = true;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'the API budget could not reach the store; calls wait until it answers',
    );
  }

  private permit(endpoint: ApiEndpointName, id: string): BudgetPermit {
    let released = false;
    return {
      release: (answered = true) => {
        if (released) return;
        released = true;
        void this.backend
          .settle(endpoint, id, answered)
          .catch((error: unknown) => this.storeFailed(error))
          .finally(() => this.lanes[endpoint].wake?.());
      },
    };
  }

  /** One loop per endpoint hands out places in arrival order, sleeping while the windows are full. */
  private async drain(endpoint: ApiEndpointName): Promise<void> {
    const lane = this.lanes[endpoint];
    if (lane.draining) return;
    lane.draining = true;
    try {
      while (lane.waiters.length > 0 && !this.closed) {
        const spacing = lane.nextGrantAt - this.clock.now();
        if (spacing > 0) {
          await this.sleep(lane, spacing);
          continue;
        }
        const id = `${this.idPrefix}${this.nextId++}`;
        let wait: number;
        try {
          await this.syncLowered(endpoint);
          wait = await this.backend.take(endpoint, windowRules(this.limits, endpoint), id);
          this.storeFailing = false;
        } catch (error) {
          this.storeFailed(error);
          wait = STORE_RETRY_MS;
        }
        if (wait === 0) {
          const waiter = lane.waiters.shift();
          if (!waiter) {
            await this.backend.settle(endpoint, id, false).catch(() => undefined);
            break;
          }
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          lane.nextGrantAt = this.clock.now() + 1000 / this.limits[endpoint].perSecond;
          waiter.resolve(this.permit(endpoint, id));
          continue;
        }
        await this.sleep(lane, Math.min(wait, this.backend.maxSleepMs));
      }
    } finally {
      lane.draining = false;
    }
  }

  /** Until the time passes or something frees a place (an answer, a pause set, closing). */
  private sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? this.clock.setTimeout(() => done(), ms) : undefined;
      const done = () => {
        if (timer !== undefined) this.clock.clearTimeout(timer);
        if (lane.wake === done) lane.wake = undefined;
        resolve();
      };
      lane.wake = done;
    });
  }
}
