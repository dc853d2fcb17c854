import type { Logger } from '../logger.js';
import type { JobStore } from '../jobs.js';
import type { Store } from '../store.js';
import { BullDispatcher } from './bullmq-dispatcher.js';
import type { JobDispatcher } from './dispatcher.js';
import { LocalDispatcher } from './local-dispatcher.js';

export { ShutdownError, type JobDispatcher } from './dispatcher.js';

/** Redis means replicas may share the work, so a job engine owns it; otherwise this process does. */
export function createDispatcher(store: Store, jobs: JobStore, logger: Logger): JobDispatcher {
  if (store.kind === 'redis' && store.redisUrl) {
    return new BullDispatcher({
      redisUrl: store.redisUrl,
      prefix: store.prefix,
      logger,
      outage: store.outage,
    });
  }
  return new LocalDispatcher(jobs, logger);
}
