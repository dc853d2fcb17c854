import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL;

export interface StoreCase {
  name: 'memory' | 'sqlite' | 'redis';
  /** A fresh, isolated store location each call: its own SQLite file, or its own Redis key prefix. */
  fresh(): { url: string; prefix?: string };
}

const cases: StoreCase[] = [
  { name: 'memory', fresh: () => ({ url: 'memory://' }) },
  {
    name: 'sqlite',
    fresh: () => ({
      url: `sqlite://${join(mkdtempSync(join(tmpdir(), 'gib-store-')), 'bot.sqlite')}`,
    }),
  },
];

if (REDIS_URL) {
  cases.push({
    name: 'redis',
    fresh: () => ({ url: REDIS_URL, prefix: `test-${randomBytes(6).toString('hex')}:` }),
  });
} else if (process.env.CI) {
  throw new Error(
    'REDIS_URL is not set: CI must run the Redis contract tests (.ci/run starts Redis and sets it)',
  );
} else {
  console.warn(
    '\n  ⚠ REDIS_URL is not set: the Redis store and job-engine tests are SKIPPED. Start Redis and set REDIS_URL=redis://127.0.0.1:6379 to run them.\n',
  );
}

/** Every store the bot supports, so one contract test covers them all. */
export const STORE_CASES: readonly StoreCase[] = cases;
/** Stores that survive a process restart. */
export const DURABLE_STORE_CASES: readonly StoreCase[] = cases.filter(
  (entry) => entry.name !== 'memory',
);
