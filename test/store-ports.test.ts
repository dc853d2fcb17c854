import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { Store } from '../src/core/store.js';
import { openStore } from '../src/storage/open-store.js';
import { eventually } from './helpers/core.js';
import { STORE_CASES } from './helpers/stores.js';

/**
 * What the core relies on from every store behind its ports (src/core/store.ts): a new store
 * passes these before the service-level contract tests (generation-service, operations) run on it.
 */
let opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

async function open(storeCase: (typeof STORE_CASES)[number]): Promise<Store> {
  const location = storeCase.fresh();
  const store = await openStore(location.url, location.prefix ? { prefix: location.prefix } : {});
  opened.push(store);
  return store;
}

async function keysOf(store: Store, name: 'jobs' | 'quota'): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.keys(name)) keys.push(key);
  return keys.sort();
}

describe.each(STORE_CASES)('the $name store', (storeCase) => {
  it('keeps each record family apart, and deletes what it is told to', async () => {
    const store = await open(storeCase);
    const jobs = store.namespace<{ state: string }>('jobs');
    const quota = store.namespace<{ spent: number }>('quota');
    await jobs.set('a', { state: 'queued' });
    await jobs.set('b', { state: 'done' });
    await quota.set('a', { spent: 3 });
    expect(await jobs.get('a')).toEqual({ state: 'queued' });
    expect(await quota.get('a')).toEqual({ spent: 3 });
    expect(await keysOf(store, 'jobs')).toEqual(['a', 'b']);
    expect(await keysOf(store, 'quota')).toEqual(['a']);

    expect(await jobs.delete('a')).toBe(true);
    await jobs.deleteMany(['b']);
    expect(await jobs.get('a')).toBeUndefined();
    expect(await keysOf(store, 'jobs')).toEqual([]);
    expect(await quota.get('a')).toEqual({ spent: 3 });
  });

  it('forgets a record once its time to live has passed, and a sweep leaves the others', async () => {
    const store = await open(storeCase);
    const history = store.namespace<string[]>('history');
    await history.set('brief', ['job-1'], 100);
    await history.set('kept', ['job-2']);
    await eventually(
      async () => ((await history.get('brief')) === undefined ? true : undefined),
      5_000,
      'the record to expire',
    );
    await store.sweepExpired('history');
    expect(await history.get('kept')).toEqual(['job-2']);
  });

  it('runs the work of one lock key one at a time, and other keys alongside', async () => {
    const store = await open(storeCase);
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstEntered!: () => void;
    const entered = new Promise<void>((resolve) => (firstEntered = resolve));
    const first = store.lock.run('quota:alice', async () => {
      events.push('first in');
      firstEntered();
      await firstHolds;
      events.push('first out');
    });
    await entered;
    const second = store.lock.run('quota:alice', () => {
      events.push('second in');
      return Promise.resolve();
    });
    // Another key is not held up by Alice's lock.
    await store.lock.run('quota:bob', () => {
      events.push('bob');
      return Promise.resolve();
    });
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'bob', 'first out', 'second in']);
  });

  it('supplies a dispatcher that runs the jobs handed to it', async () => {
    const store = await open(storeCase);
    const dispatcher = store.createDispatcher({
      jobs: { listActive: () => Promise.resolve([]) },
      logger: silentLogger,
    });
    const ran: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await dispatcher.start((requestId) => {
      ran.push(requestId);
      done();
      return Promise.resolve();
    });
    try {
      await dispatcher.dispatch('req-port-1');
      await finished;
      expect(ran).toEqual(['req-port-1']);
    } finally {
      await dispatcher.stop();
    }
  });

  it('supplies a slot line that gives out no more slots than the limit', async () => {
    const store = await open(storeCase);
    const line = store.createSlotLine(systemClock);
    try {
      const arrivedAt = Date.now();
      expect(await line.join({ requestId: 'r1', userKey: 'u1', arrivedAt }, 1)).toBe('slot');
      expect(await line.join({ requestId: 'r2', userKey: 'u2', arrivedAt: arrivedAt + 1 }, 1)).toBe(
        1,
      );
      await line.release('r1', 1);
      expect((await line.look(['r2'], 1)).get('r2')).toBe('slot');
    } finally {
      await line.close();
    }
  });

  it('supplies budget windows that refuse a call beyond the limit until the window moves on', async () => {
    const store = await open(storeCase);
    const windows = store.createBudgetWindows({ keyId: 'port-test' });
    const perMinute = [{ limit: 1, windowMs: 60_000 }];
    try {
      expect(await windows.take('createTask', perMinute, 'call-1')).toBe(0);
      await windows.settle('createTask', 'call-1', true);
      expect(await windows.take('createTask', perMinute, 'call-2')).toBeGreaterThan(0);
      // The other endpoint has windows of its own.
      expect(await windows.take('recordInfo', perMinute, 'call-3')).toBe(0);
    } finally {
      await windows.settle('recordInfo', 'call-3', false);
      await windows.close();
    }
  });
});
