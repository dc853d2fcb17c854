import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LockProvider } from '../../core/mutex.js';
import { retry } from '../../core/retry.js';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLockOptions {
  prefix: string;
  /** The lock frees itself after this long, so a replica killed while holding it blocks no one for good. */
  ttlMs?: number;
  /** How long to keep trying before giving up with an error. */
  waitMs?: number;
}

/**
 * Mutual exclusion per key across every replica sharing one Redis, for the short
 * read-modify-write sections of quotas and request de-duplication (milliseconds, not jobs: job
 * ownership is BullMQ's).
 */
export class RedisLock implements LockProvider {
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLockOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 15_000;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `${this.options.prefix}lock:${key}`;
    const token = randomBytes(12).toString('hex');
    const giveUpAt = Date.now() + this.waitMs;
    await retry(
      async () => {
        const acquired = await this.redis.set(lockKey, token, 'PX', this.ttlMs, 'NX');
        if (acquired !== 'OK') throw new LockBusyError(key, this.waitMs);
      },
      {
        // Short, growing, jittered waits: contention lasts milliseconds.
        retryable: (error, attempt) =>
          error instanceof LockBusyError && Date.now() <= giveUpAt
            ? { afterMs: Math.min(50, 1 + attempt) * (0.5 + Math.random()) }
            : false,
      },
    );
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_IF_OWNER, 1, lockKey, token);
    }
  }
}

/** Someone else holds the lock; once the wait is over, this is the caller's error. */
class LockBusyError extends Error {
  constructor(key: string, waitMs: number) {
    super(`could not lock "${key}" within ${waitMs} ms`);
    this.name = 'LockBusyError';
  }
}
