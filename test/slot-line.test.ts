import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisSlotLine } from '../src/storage/redis/slot-line.js';
import { LocalSlotLine, type LineEntry, type SlotLine } from '../src/core/queue/slot-line.js';
import { eventually } from './helpers/core.js';
import { RedisDropProxy } from './helpers/redis-drop-proxy.js';
import { REDIS_URL } from './helpers/stores.js';

const LONG_PAUSE = { baseMs: 60_000, capMs: 60_000 };

interface LineCase {
  name: string;
  /** Lines of several processes sharing one line (Redis), or the one line of a process. */
  open(count?: number): SlotLine[];
}

let opened: SlotLine[] = [];
afterEach(async () => {
  await Promise.all(opened.map((line) => line.close()));
  opened = [];
});

const cases: LineCase[] = [
  {
    name: 'in one process',
    open: () => {
      const line = new LocalSlotLine(() => Date.now(), LONG_PAUSE);
      opened.push(line);
      return [line];
    },
  },
];
if (REDIS_URL) {
  cases.push({
    name: 'on Redis',
    open: (count = 1) => {
      const prefix = `slot-test-${randomBytes(5).toString('hex')}:`;
      const lines = Array.from(
        { length: count },
        () => new RedisSlotLine({ redisUrl: REDIS_URL!, prefix, pause: LONG_PAUSE }),
      );
      opened.push(...lines);
      return lines;
    },
  });
}

let clock = 1_000;
const entry = (requestId: string, userKey: string): LineEntry => ({
  requestId,
  userKey,
  arrivedAt: clock++,
});

async function places(line: SlotLine, ids: string[], limit: number) {
  return Object.fromEntries(await line.look(ids, limit));
}

describe.each(cases)('the line for task slots, $name', ({ open }) => {
  it('gives out no more slots than the limit and lines up the rest fairly', async () => {
    const [line] = open();
    const limit = 2;
    expect(await line!.join(entry('ann-1', 'ann'), limit)).toBe('slot');
    expect(await line!.join(entry('ann-2', 'ann'), limit)).toBe('slot');
    expect(await line!.join(entry('ann-3', 'ann'), limit)).toBe(1);
    expect(await line!.join(entry('bob-1', 'bob'), limit)).toBe(1);
    expect(await places(line!, ['ann-3', 'bob-1'], limit)).toEqual({ 'bob-1': 1, 'ann-3': 2 });
    await line!.release('ann-1', limit);
    expect(await places(line!, ['ann-2', 'ann-3', 'bob-1'], limit)).toEqual({
      'ann-2': 'slot',
      'bob-1': 'slot',
      'ann-3': 1,
    });
  });

  it('keeps a job’s place when it joins again, and says when it does not know a job', async () => {
    const [line] = open();
    const first = entry('first', 'ann');
    await line!.join(first, 1);
    const second = entry('second', 'bob');
    expect(await line!.join(second, 1)).toBe(1);
    const third = entry('third', 'cat');
    expect(await line!.join(third, 1)).toBe(2);
    expect(await line!.join(second, 1)).toBe(1);
    expect(await places(line!, ['nobody'], 1)).toEqual({ nobody: 'missing' });
  });

  it('lets a resumed job whose task exists hold a slot even when full, and counts it', async () => {
    const [line] = open();
    await line!.join(entry('a', 'ann'), 1);
    await line!.hold(entry('resumed', 'bob'));
    await line!.join(entry('c', 'cat'), 1);
    await line!.release('a', 1);
    // Still one slot in use (the resumed task), so the limit of 1 keeps Cat waiting.
    expect(await places(line!, ['c', 'resumed'], 1)).toEqual({ c: 1, resumed: 'slot' });
    await line!.release('resumed', 1);
    expect(await places(line!, ['c'], 1)).toEqual({ c: 'slot' });
  });

  it('after a 409 puts the job back at the front, pauses, and probes with one job when a task ends', async () => {
    const [line] = open();
    const limit = 5;
    await line!.join(entry('running', 'ann'), limit);
    await line!.join(entry('refused', 'bob'), limit);
    expect(await line!.busy('refused', limit)).toBe(60_000);
    await line!.join(entry('later-1', 'cat'), limit);
    await line!.join(entry('later-2', 'dan'), limit);
    expect(await places(line!, ['refused', 'later-1', 'later-2'], limit)).toEqual({
      refused: 1,
      'later-1': 2,
      'later-2': 3,
    });
    await line!.release('running', limit);
    expect(await places(line!, ['refused', 'later-1'], limit)).toEqual({
      refused: 'slot',
      'later-1': 1,
    });
    await line!.created('refused', limit);
    expect(await places(line!, ['later-1', 'later-2'], limit)).toEqual({
      'later-1': 'slot',
      'later-2': 'slot',
    });
  });

  it('follows a lowered limit: no new slot until the slots in use fall below it', async () => {
    const [line] = open();
    for (const id of ['a', 'b', 'c']) await line!.join(entry(id, id), 3);
    await line!.join(entry('d', 'd'), 3);
    await line!.release('a', 1);
    expect(await places(line!, ['d'], 1)).toEqual({ d: 1 });
    await line!.release('b', 1);
    await line!.release('c', 1);
    expect(await places(line!, ['d'], 1)).toEqual({ d: 'slot' });
  });
});

describe.skipIf(!REDIS_URL)('the line shared on Redis', () => {
  it('is one line for every replica: distinct positions, and each hears of the others’ changes', async () => {
    const [east, west] = cases[1]!.open(2) as RedisSlotLine[];
    let westHeard = 0;
    west!.onChange(() => westHeard++);
    // A change published before the subscription is in place is not heard (the queue's own
    // once-a-second look covers that gap); what is checked is that changes reach a listening replica.
    await west!.listening;
    await east!.join(entry('e1', 'ann'), 1);
    expect(await west!.join(entry('w1', 'bob'), 1)).toBe(1);
    expect(await east!.join(entry('e2', 'cat'), 1)).toBe(2);
    await eventually(async () => (westHeard > 0 ? true : undefined), 5_000, 'a change signal');
    await east!.release('e1', 1);
    expect(await places(west!, ['w1'], 1)).toEqual({ w1: 'slot' });
    expect(await places(east!, ['e2'], 1)).toEqual({ e2: 1 });
  });

  it('a connection lost just as it becomes ready again: no crash, and the replica hears changes once Redis is back', async () => {
    const proxy = await RedisDropProxy.start(Number(new URL(REDIS_URL!).port || 6379));
    const unhandled: unknown[] = [];
    const collect = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', collect);
    try {
      const prefix = `slot-test-${randomBytes(5).toString('hex')}:`;
      const east = new RedisSlotLine({ redisUrl: proxy.url, prefix });
      const west = new RedisSlotLine({ redisUrl: REDIS_URL!, prefix });
      opened.push(east, west);
      await east.listening;
      let eastHeard = 0;
      east.onChange(() => eastHeard++);
      // Long enough for the client's retries to give up on the commands waiting for a connection.
      proxy.flapAtNextReady(400);
      let joined = 0;
      await eventually(
        async () => {
          await west.join(entry(`w${joined++}`, 'bob'), 100);
          return eastHeard > 0 ? true : undefined;
        },
        10_000,
        'the replica behind the flapping connection to hear a change',
      );
      expect(proxy.droppedAtReady).toBeGreaterThan(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', collect);
      await proxy.close();
    }
  });

  it('frees the slots of a replica that stopped renewing them once their lease lapses', async () => {
    const prefix = `slot-test-${randomBytes(5).toString('hex')}:`;
    const dead = new RedisSlotLine({ redisUrl: REDIS_URL!, prefix, leaseMs: 300 });
    const alive = new RedisSlotLine({ redisUrl: REDIS_URL!, prefix, leaseMs: 30_000 });
    opened.push(dead, alive);
    await dead.join(entry('held-by-dead', 'ann'), 1);
    const orphan = entry('waiting-on-dead', 'cat');
    await dead.join(orphan, 1);
    await alive.join(entry('survivor', 'bob'), 1);
    expect(await places(alive, ['survivor'], 1)).toEqual({ survivor: 2 });
    // The dead replica renews nothing; the survivor's own looks keep its lease and pick up the slot.
    await eventually(
      async () =>
        (await alive.look(['survivor'], 1)).get('survivor') === 'slot' ? true : undefined,
      10_000,
      'the lapsed slot to be given to the survivor',
    );
    // The dead replica's waiting job, taken over by another, rejoins by its arrival: ahead of later ones.
    expect(await alive.join(entry('later', 'dan'), 1)).toBe(1);
    expect(await alive.join(orphan, 1)).toBe(1);
    expect(await places(alive, ['later'], 1)).toEqual({ later: 2 });
  });
});
