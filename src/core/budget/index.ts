import { createHash } from 'node:crypto';
import type { ApiLimits } from '../api/limits.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store.js';
import { BudgetGate, type ApiBudget } from './api-budget.js';

export { BudgetGate, windowRules, type ApiBudget, type BudgetPermit } from './api-budget.js';
export { LocalWindows } from './local-windows.js';

export interface CreateApiBudgetOptions {
  store: Pick<Store, 'createBudgetWindows'> & Partial<Pick<Store, 'outage'>>;
  limits: ApiLimits;
  /** The API key: the budget is the key's, so replicas of one key share it and other keys do not. */
  apiKey: string;
  /** The API client's timeout, the longest a call can stay in flight. */
  maxCallMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/** The key's budget, kept where the store keeps it: shared by replicas on Redis, else this process's. */
export function createApiBudget(options: CreateApiBudgetOptions): ApiBudget {
  const { store } = options;
  // A digest, never the key itself: it names the budget without revealing the secret.
  const keyId = createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16);
  return new BudgetGate({
    limits: options.limits,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(store.outage ? { outage: store.outage } : {}),
    backend: store.createBudgetWindows({
      keyId,
      ...(options.maxCallMs !== undefined ? { maxCallMs: options.maxCallMs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }),
  });
}
