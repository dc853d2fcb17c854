import { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { STORE_PROBE_TIMEOUT_MS, StoreOutage } from '../../core/store-outage.js';
import type { Store } from '../../core/store.js';
import { KeyvNamespaces } from '../keyv-namespaces.js';
import type { OpenStoreOptions } from '../open-store.js';
import { answersPing } from '../readiness.js';
import { RedisWindows } from './budget-windows.js';
import { BullDispatcher } from './job-engine.js';
import { RedisLock } from './lock.js';
import { RedisSlotLine } from './slot-line.js';
import { RedisTimeLog } from './time-log.js';

/**
 * The store several replicas share: records, locks, the slot line and the API budget on one
 * Redis, and BullMQ handing each job to one replica (and a dead replica's jobs to another).
 */
export async function openRedisStore(url: string, options: OpenStoreOptions): Promise<Store> {
  const prefix = options.prefix ?? '';
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Answers at once while disconnected instead of queueing, so readiness never waits on an outage.
  const probeClient = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: STORE_PROBE_TIMEOUT_MS,
  });
  const outage = new StoreOutage({
    ...(options.logger ? { logger: options.logger } : {}),
    describe: 'redis',
    probe: () => probeClient.ping(),
  });
  // A dropped connection is retried by the client; the outage tracker decides what is worth a log line.
  redis.on('error', (error) => outage.report('store connection', error));
  probeClient.on('error', () => undefined);
  for (const client of [redis, probeClient]) client.on('ready', () => outage.reconnected());
  const namespaces = new KeyvNamespaces(
    prefix,
    (namespace) =>
      new Keyv({
        store: new KeyvRedis(url),
        namespace,
        useKeyPrefix: false,
        throwOnErrors: true,
      }),
  );

  const store: Store = {
    prefix,
    shared: true,
    outage,
    lock: new RedisLock(redis, { prefix }),
    namespace: (name) => namespaces.get(name),
    timeLog: (name) => new RedisTimeLog(redis, `${prefix}${name}`),
    keys: (name) => namespaces.keys(name),
    // Redis expires keys itself.
    sweepExpired: () => Promise.resolve(),
    ping: () => answersPing(outage),
    async close() {
      // Waiting for queued commands to be answered would wait for the outage to end.
      const drop = outage.unreachable;
      outage.close();
      await namespaces.close(drop);
      probeClient.disconnect();
      if (drop) redis.disconnect();
      else await redis.quit().catch(() => redis.disconnect());
    },
    createDispatcher: ({ logger }) => new BullDispatcher({ redisUrl: url, prefix, logger, outage }),
    createSlotLine: () => new RedisSlotLine({ redisUrl: url, prefix }),
    createBudgetWindows: ({ keyId, maxCallMs }) => {
      const connection = new Redis(url, { maxRetriesPerRequest: 1 });
      // A dropped connection is retried by the client; the budget logs the failed calls itself.
      connection.on('error', () => undefined);
      return new RedisWindows(connection, {
        prefix: `${prefix}${keyId}:`,
        ownsConnection: true,
        ...(maxCallMs !== undefined ? { maxCallMs: maxCallMs + 5_000 } : {}),
      });
    },
  };
  // Fail at start-up, naming the cause, rather than on the first user's command.
  await namespaces.get('jobs').get('__probe__');
  await redis.ping();
  return store;
}
