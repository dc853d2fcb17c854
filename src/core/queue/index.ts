import type { Clock } from '../clock.js';
import type { Store } from '../store.js';
import { RedisSlotLine } from './redis-slot-line.js';
import { LocalSlotLine, type SlotLine } from './slot-line.js';

export { LocalSlotLine, type SlotLine } from './slot-line.js';

/** Redis means replicas share the API key, so they share one line; otherwise the line is this process's. */
export function createSlotLine(store: Store, clock: Clock): SlotLine {
  if (store.kind === 'redis' && store.redisUrl)
    return new RedisSlotLine({ redisUrl: store.redisUrl, prefix: store.prefix });
  return new LocalSlotLine(() => clock.now());
}
