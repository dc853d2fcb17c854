import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/core/store.js';
import { openStore } from '../src/storage/open-store.js';
import { eventually } from './helpers/core.js';
import { STORE_CASES } from './helpers/stores.js';

/** The time-log port under the audit trail: every store keeps streams apart and reads them by time. */
let opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

const HOUR = 3_600_000;

describe.each(STORE_CASES)('the $name store’s time log', (storeCase) => {
  async function open(): Promise<Store> {
    const location = storeCase.fresh();
    const store = await openStore(location.url, location.prefix ? { prefix: location.prefix } : {});
    opened.push(store);
    return store;
  }

  it('reads a stream’s records between two times, oldest first, and keeps streams apart', async () => {
    const log = (await open()).timeLog<{ n: number }>('audit');
    // Written out of order, and with stream names that contain separators.
    await log.append('discord:G1', { at: 3 * HOUR, id: 'c', value: { n: 3 } }, HOUR * 100);
    await log.append('discord:G1', { at: 1 * HOUR, id: 'a', value: { n: 1 } }, HOUR * 100);
    await log.append('discord:G1', { at: 2 * HOUR, id: 'b', value: { n: 2 } }, HOUR * 100);
    await log.append('discord:G1:record:x', { at: 2 * HOUR, id: 'z', value: { n: 99 } }, HOUR);
    await log.append('discord:G2', { at: 2 * HOUR, id: 'b', value: { n: 20 } }, HOUR * 100);

    expect(await log.range('discord:G1', 0, 10 * HOUR)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // `from` is included, `to` is not.
    expect(await log.range('discord:G1', 2 * HOUR, 3 * HOUR)).toEqual([{ n: 2 }]);
    expect(await log.range('discord:G2', 0, 10 * HOUR)).toEqual([{ n: 20 }]);
    expect(await log.range('discord:unknown', 0, 10 * HOUR)).toEqual([]);
  });

  it('replaces a record appended again under the same id, and says it was not new', async () => {
    const log = (await open()).timeLog<{ outcome: string }>('audit');
    expect(
      await log.append('ws', { at: 5, id: 'job-1', value: { outcome: 'accepted' } }, HOUR),
    ).toBe(true);
    expect(
      await log.append('ws', { at: 5, id: 'job-1', value: { outcome: 'finished' } }, HOUR),
    ).toBe(false);
    expect(await log.append('other', { at: 5, id: 'job-1', value: { outcome: 'x' } }, HOUR)).toBe(
      true,
    );
    expect(await log.range('ws', 0, 10)).toEqual([{ outcome: 'finished' }]);
  });

  it('forgets a record once its time to live has passed, and keeps the others', async () => {
    const log = (await open()).timeLog<string>('audit');
    await log.append('ws', { at: 1, id: 'brief', value: 'brief' }, 100);
    await log.append('ws', { at: 2, id: 'kept', value: 'kept' }, HOUR);
    await eventually(
      async () => ((await log.range('ws', 0, 10)).length === 1 ? true : undefined),
      5_000,
      'the brief record to expire',
    );
    expect(await log.range('ws', 0, 10)).toEqual(['kept']);
  });
});

describe.each(STORE_CASES.filter((entry) => entry.name !== 'memory'))(
  'the $name store’s time log after a restart',
  (storeCase) => {
    it('still has what was written before', async () => {
      const location = storeCase.fresh();
      const options = location.prefix ? { prefix: location.prefix } : {};
      const first = await openStore(location.url, options);
      await first.timeLog<string>('audit').append('ws', { at: 7, id: 'x', value: 'kept' }, HOUR);
      await first.close();
      const second = await openStore(location.url, options);
      opened.push(second);
      expect(await second.timeLog<string>('audit').range('ws', 0, 10)).toEqual(['kept']);
    });
  },
);

describe.each(STORE_CASES.filter((entry) => entry.name === 'redis'))(
  'the $name time log shared by two replicas',
  (storeCase) => {
    it('calls exactly one of many simultaneous appends of one id new', async () => {
      const location = storeCase.fresh();
      const options = location.prefix ? { prefix: location.prefix } : {};
      const replicas = [
        await openStore(location.url, options),
        await openStore(location.url, options),
      ];
      opened.push(...replicas);
      const appends = Array.from({ length: 20 }, (_, index) =>
        replicas[index % 2]!.timeLog<number>('audit').append(
          'ws',
          { at: 1, id: 'req-1:succeeded', value: index },
          HOUR,
        ),
      );
      expect((await Promise.all(appends)).filter(Boolean)).toHaveLength(1);
      expect(await replicas[0]!.timeLog<number>('audit').range('ws', 0, 10)).toHaveLength(1);
    });
  },
);
