import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import { Redis } from 'ioredis';
import type { ApiLimits } from '../api/limits.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store.js';
import { BudgetGate, type ApiBudget } from './api-budget.js';
import { LocalWindows } from './local-windows.js';
import { RedisWindows } from './redis-windows.js';

export { BudgetGate, windowRules, type ApiBudget, type BudgetPermit } from './api-budget.js';
export { LocalWindows } from './local-windows.js';
export { RedisWindows } from './redis-windows.js';

export interface CreateApiBudgetOptions {
  store: Pick<Store, 'kind' | 'prefix' | 'redisUrl'> & Partial<Pick<Store, 'outage'>>;
  limits: ApiLimits;
  /** The API key: the budget is the key's, so replicas of one key share it and other keys do not. */
  apiKey: string;
  /** The API client's timeout, the longest a call can stay in flight. */
  maxCallMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/** Redis means replicas share the key's budget there; otherwise this process keeps it. */
export function createApiBudget(options: CreateApiBudgetOptions): ApiBudget {
  const { store, limits } = options;
  const common = {
    limits,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(store.outage ? { outage: store.outage } : {}),
  };
  if (store.kind === 'redis' && store.redisUrl) {
    const redis = new Redis(store.redisUrl, { maxRetriesPerRequest: 1 });
    // A dropped connection is retried by the client; the budget logs the failed calls itself.
    redis.on('error', () => undefined);
    // A digest, never the key itself: it names the budget without revealing the secret.
    const keyId = createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16);
    return new BudgetGate({
      ...common,
      backend: new RedisWindows(redis, {
        prefix: `${store.prefix}${keyId}:`,
        ownsConnection: true,
        ...(options.maxCallMs !== undefined ? { maxCallMs: options.maxCallMs + 5_000 } : {}),
      }),
    });
  }
  return new BudgetGate({
    ...common,
    backend: new LocalWindows(options.clock ? { clock: options.clock } : {}),
  });
}
