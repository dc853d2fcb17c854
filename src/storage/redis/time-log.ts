import type { Redis } from 'ioredis';
import type { TimedEntry, TimeLog } from '../../core/store.js';

/** MGET batches: large enough for few round trips, small enough not to stall Redis. */
const READ_BATCH = 500;

/**
 * A time log on Redis: a sorted set per stream (score = time, member = id) indexes records kept
 * as their own keys, which Redis expires by itself. Index entries whose record has expired are
 * dropped when a read finds them gone. `family` is the namespace's full name (prefix included).
 */
export class RedisTimeLog<T> implements TimeLog<T> {
  constructor(
    private readonly redis: Redis,
    private readonly family: string,
  ) {}

  async append(stream: string, entry: TimedEntry<T>, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const results = await this.redis
      .multi()
      .set(this.recordKey(stream, entry.id), JSON.stringify(entry.value), 'PX', ttl)
      .zadd(this.indexKey(stream), entry.at, entry.id)
      // The index outlives its newest record by nothing: once all have expired, so has it.
      .pexpire(this.indexKey(stream), ttl)
      .exec();
    failedStep(results);
    // ZADD answers how many members were new.
    return results?.[1]?.[1] === 1;
  }

  async range(stream: string, from: number, to: number): Promise<T[]> {
    const ids = await this.redis.zrangebyscore(this.indexKey(stream), from, `(${to}`);
    const values: T[] = [];
    const lapsed: string[] = [];
    for (let start = 0; start < ids.length; start += READ_BATCH) {
      const batch = ids.slice(start, start + READ_BATCH);
      const found = await this.redis.mget(batch.map((id) => this.recordKey(stream, id)));
      found.forEach((value, index) => {
        if (value === null) lapsed.push(batch[index]!);
        else values.push(JSON.parse(value) as T);
      });
    }
    if (lapsed.length > 0) await this.redis.zrem(this.indexKey(stream), ...lapsed);
    return values;
  }

  // Streams and ids are encoded so that no stream's keys can be mistaken for another's.
  private indexKey(stream: string): string {
    return `${this.family}:${encodeURIComponent(stream)}:index`;
  }

  private recordKey(stream: string, id: string): string {
    return `${this.family}:${encodeURIComponent(stream)}:record:${encodeURIComponent(id)}`;
  }
}

function failedStep(results: [Error | null, unknown][] | null): void {
  const failure = results?.find(([error]) => error)?.[0];
  if (failure) throw failure;
}
