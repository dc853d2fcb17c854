import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Keyv } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { LocalWindows } from '../core/budget/local-windows.js';
import { LocalDispatcher } from '../core/engine/local-dispatcher.js';
import { KeyedMutex } from '../core/mutex.js';
import { LocalSlotLine } from '../core/queue/slot-line.js';
import { StoreOutage } from '../core/store-outage.js';
import type { Namespace, Store, TimeLog } from '../core/store.js';
import { KeyvNamespaces } from './keyv-namespaces.js';
import { MemoryTimeLog } from './memory-time-log.js';
import type { OpenStoreOptions } from './open-store.js';
import { answersPing } from './readiness.js';
import { SqliteTimeLog, type SqlQuery } from './sqlite-time-log.js';
import { sqlitePathFromUrl } from './store-url.js';

const SQLITE_NAMESPACES: readonly Namespace[] = ['jobs', 'active', 'quota', 'history', 'audit'];

/**
 * A store for one process: an SQLite file (the embedded default, surviving restarts) or memory
 * (tests). Jobs, the slot line and the API budget all stay in this process.
 */
export async function openLocalStore(
  url: string,
  kind: 'sqlite' | 'memory',
  options: OpenStoreOptions,
): Promise<Store> {
  if (kind === 'sqlite') {
    const path = sqlitePathFromUrl(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const namespaces = new KeyvNamespaces(options.prefix ?? '', (namespace) =>
    kind === 'sqlite'
      ? new Keyv({
          store: new KeyvSqlite({ uri: url, busyTimeout: 10_000, iterationLimit: 500 }),
          namespace,
          throwOnErrors: true,
        })
      : new Keyv({ namespace, throwOnErrors: true }),
  );
  const timeLogs = new Map<Namespace, TimeLog<unknown>>();
  const outage = new StoreOutage({
    ...(options.logger ? { logger: options.logger } : {}),
    describe: kind,
    probe: () => namespaces.get('jobs').get('__probe__'),
  });
  const store: Store = {
    prefix: options.prefix ?? '',
    shared: false,
    outage,
    lock: new KeyedMutex(),
    namespace: (name) => namespaces.get(name),
    timeLog: <T>(name: Namespace) => {
      let log = timeLogs.get(name);
      if (!log) {
        // SQLite logs share the connection of the namespace's keyv, so they close with it.
        const query = (namespaces.get(name).store as { query?: SqlQuery }).query;
        log = query
          ? new SqliteTimeLog(query, `${options.prefix ?? ''}${name}`)
          : new MemoryTimeLog();
        timeLogs.set(name, log);
      }
      return log as TimeLog<T>;
    },
    keys: (name) => namespaces.keys(name),
    sweepExpired: (name) => namespaces.sweep(name),
    ping: () => answersPing(outage),
    async close() {
      const drop = outage.unreachable;
      outage.close();
      await namespaces.close(drop);
    },
    createDispatcher: ({ jobs, logger }) => new LocalDispatcher(jobs, logger),
    createSlotLine: (clock) => new LocalSlotLine(() => clock.now()),
    createBudgetWindows: ({ clock }) => new LocalWindows(clock ? { clock } : {}),
  };
  // Fail at start-up, naming the cause, rather than on the first user's command.
  await namespaces.get('jobs').get('__probe__');
  if (kind === 'sqlite') {
    await enableWriteAheadLog(namespaces.get('jobs'));
    // synchronous is per connection, and each namespace has its own.
    for (const name of SQLITE_NAMESPACES) await syncAtCheckpoints(namespaces.get(name));
  }
  return store;
}

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
