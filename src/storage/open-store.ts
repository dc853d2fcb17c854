import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store.js';
import { openLocalStore } from './local-store.js';
import { openRedisStore } from './redis/store.js';
import { storeKindOf } from './store-url.js';

export interface OpenStoreOptions {
  prefix?: string;
  /** Where outages of the store are reported. */
  logger?: Logger;
}

/** Opens the store named by STORE_URL: `sqlite://PATH`, `redis://…` or `memory://`. */
export function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const kind = storeKindOf(url);
  return kind === 'redis' ? openRedisStore(url, options) : openLocalStore(url, kind, options);
}
