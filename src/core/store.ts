import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Keyv } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';

export type StoreKind = 'sqlite' | 'redis' | 'memory';

/** The record families the bot keeps; each is its own keyv namespace. */
export type Namespace = 'jobs' | 'active' | 'quota' | 'history';

export interface Store {
  readonly kind: StoreKind;
  namespace<T = unknown>(name: Namespace): Keyv<T>;
  /** Keys of a namespace, for start-up scans; values are read separately. */
  keys(name: Namespace): AsyncGenerator<string>;
  close(): Promise<void>;
}

export function sqlitePathFromUrl(url: string): string {
  return url.replace(/^sqlite:\/\//, '');
}

/**
 * Opens the store named by STORE_URL. Each namespace gets its own adapter because keyv adapters
 * carry a single current namespace, and sharing one would make scans of one family read another.
 */
export async function openStore(url: string): Promise<Store> {
  const kind: StoreKind = url.startsWith('sqlite://')
    ? 'sqlite'
    : url.startsWith('redis')
      ? 'redis'
      : 'memory';
  if (kind === 'sqlite') {
    const path = sqlitePathFromUrl(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const instances = new Map<Namespace, Keyv>();
  const errors: Error[] = [];

  const create = (name: Namespace): Keyv => {
    const keyv =
      kind === 'sqlite'
        ? new Keyv({
            store: new KeyvSqlite({ uri: url, busyTimeout: 10_000, iterationLimit: 500 }),
            namespace: name,
          })
        : kind === 'redis'
          ? new Keyv({ store: new KeyvRedis(url), namespace: name, useKeyPrefix: false })
          : new Keyv({ namespace: name });
    keyv.on('error', (error: Error) => errors.push(error));
    return keyv;
  };

  const store: Store = {
    kind,
    namespace<T>(name: Namespace): Keyv<T> {
      let keyv = instances.get(name);
      if (!keyv) {
        keyv = create(name);
        instances.set(name, keyv);
      }
      return keyv as Keyv<T>;
    },
    async *keys(name: Namespace) {
      const keyv = store.namespace(name);
      if (!keyv.iterator) return;
      for await (const [key] of keyv.iterator(undefined)) yield String(key);
    },
    async close() {
      await Promise.all([...instances.values()].map((keyv) => keyv.disconnect()));
      instances.clear();
    },
  };
  // Fail at start-up, naming the cause, rather than on the first user's command.
  await store.namespace('jobs').get('__probe__');
  if (kind === 'sqlite') await enableWriteAheadLog(store.namespace('jobs'));
  return store;
}

/** WAL lets readers and the writer of the several connections to one file proceed together. */
async function enableWriteAheadLog(keyv: Keyv): Promise<void> {
  const adapter = keyv.store as { query?: (sql: string) => Promise<unknown> };
  if (typeof adapter.query === 'function') await adapter.query('PRAGMA journal_mode=WAL');
}
