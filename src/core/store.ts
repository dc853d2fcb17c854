import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';
import type { Logger } from './logger.js';
import { KeyedMutex, type LockProvider } from './mutex.js';
import { RedisLock } from './redis-lock.js';
import { STORE_PROBE_TIMEOUT_MS, StoreOutage } from './store-outage.js';

export type StoreKind = 'sqlite' | 'redis' | 'memory';

/** The record families the bot keeps; each is its own keyv namespace. */
export type Namespace = 'jobs' | 'active' | 'quota' | 'history';

export interface Store {
  readonly kind: StoreKind;
  /** Prepended to every key, so several bots (or test runs) can share one Redis. */
  readonly prefix: string;
  /** For the Redis job engine; only set when kind is 'redis'. */
  readonly redisUrl?: string;
  /** Locks that hold across every process sharing this store. */
  readonly lock: LockProvider;
  namespace<T = unknown>(name: Namespace): Keyv<T>;
  /** Keys of a namespace, for start-up scans; values are read separately. */
  keys(name: Namespace): AsyncGenerator<string>;
  /** Every part that fails to reach the store reports here; it logs each outage once. */
  readonly outage: StoreOutage;
  /** Is the store answering? For readiness checks: answers within a second, also during an outage. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  prefix?: string;
  /** Where outages of the store are reported. */
  logger?: Logger;
}

export function sqlitePathFromUrl(url: string): string {
  return url.replace(/^sqlite:\/\//, '');
}

export function storeKindOf(url: string): StoreKind {
  return url.startsWith('sqlite://') ? 'sqlite' : url.startsWith('redis') ? 'redis' : 'memory';
}

/**
 * Opens the store named by STORE_URL. Each namespace gets its own adapter because keyv adapters
 * carry a single current namespace, and sharing one would make scans of one family read another.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const kind = storeKindOf(url);
  const prefix = options.prefix ?? '';
  if (kind === 'sqlite') {
    const path = sqlitePathFromUrl(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const instances = new Map<Namespace, Keyv>();
  const redis =
    kind === 'redis'
      ? new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
      : undefined;
  // Answers at once while disconnected instead of queueing, so readiness never waits on an outage.
  const probeClient =
    kind === 'redis'
      ? new Redis(url, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: STORE_PROBE_TIMEOUT_MS,
        })
      : undefined;
  const outage = new StoreOutage({
    logger: options.logger,
    describe: kind,
    probe: () => (probeClient ? probeClient.ping() : store.namespace('jobs').get('__probe__')),
  });
  // A dropped connection is retried by the client; the outage tracker decides what is worth a log line.
  redis?.on('error', (error) => outage.report('store connection', error));
  probeClient?.on('error', () => undefined);
  for (const client of [redis, probeClient]) client?.on('ready', () => outage.reconnected());

  const create = (name: Namespace): Keyv => {
    const namespace = `${prefix}${name}`;
    const keyv =
      kind === 'sqlite'
        ? new Keyv({
            store: new KeyvSqlite({ uri: url, busyTimeout: 10_000, iterationLimit: 500 }),
            namespace,
            throwOnErrors: true,
          })
        : kind === 'redis'
          ? new Keyv({
              store: new KeyvRedis(url),
              namespace,
              useKeyPrefix: false,
              throwOnErrors: true,
            })
          : new Keyv({ namespace, throwOnErrors: true });
    // Failures reach callers as exceptions (throwOnErrors): a read that fails must never look like "no record".
    keyv.on('error', () => undefined);
    return keyv;
  };

  const store: Store = {
    kind,
    prefix,
    ...(kind === 'redis' ? { redisUrl: url } : {}),
    outage,
    lock: redis ? new RedisLock(redis, { prefix }) : new KeyedMutex(),
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
    async ping() {
      if (outage.unreachable) return false;
      const answering = await outage.answers();
      if (!answering)
        outage.report('readiness probe', new Error('the store did not answer a ping'));
      return answering;
    },
    async close() {
      // Waiting for queued commands to be answered would wait for the outage to end.
      const drop = outage.unreachable;
      outage.close();
      await Promise.all([...instances.values()].map((keyv) => disconnect(keyv, drop)));
      instances.clear();
      probeClient?.disconnect();
      if (redis && drop) redis.disconnect();
      else if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
  // Fail at start-up, naming the cause, rather than on the first user's command.
  await store.namespace('jobs').get('__probe__');
  if (redis) await redis.ping();
  if (kind === 'sqlite') {
    await enableWriteAheadLog(store.namespace('jobs'));
    // synchronous is per connection, and each namespace has its own.
    for (const name of SQLITE_NAMESPACES) await syncAtCheckpoints(store.namespace(name));
  }
  return store;
}

async function disconnect(keyv: Keyv, drop: boolean): Promise<void> {
  const adapter = keyv.store as { disconnect?: (force?: boolean) => Promise<void> };
  if (drop && typeof adapter.disconnect === 'function') await adapter.disconnect(true);
  else await keyv.disconnect();
}

const SQLITE_NAMESPACES: readonly Namespace[] = ['jobs', 'active', 'quota', 'history'];

/**
 * In WAL mode, synchronous=NORMAL syncs the log at checkpoints instead of at every commit. A
 * crash or restart of the bot loses nothing; only an operating-system crash or power cut can roll
 * back the last moments of writes (the file stays consistent). The default, FULL, spends an fsync
 * on every job-state change and capped job-record writes at a few hundred a second.
 */
async function syncAtCheckpoints(keyv: Keyv): Promise<void> {
  const adapter = keyv.store as { query?: (sql: string) => Promise<unknown> };
  if (typeof adapter.query === 'function') await adapter.query('PRAGMA synchronous=NORMAL');
}

/** WAL lets readers and the writer of the several connections to one file proceed together. */
async function enableWriteAheadLog(keyv: Keyv): Promise<void> {
  const adapter = keyv.store as { query?: (sql: string) => Promise<unknown> };
  if (typeof adapter.query === 'function') await adapter.query('PRAGMA journal_mode=WAL');
}
