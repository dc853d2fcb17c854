import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuotaService } from '../src/core/quota.js';
import type { Store } from '../src/core/store.js';
import type { PoolCharge } from '../src/core/types.js';
import { openStore } from '../src/storage/open-store.js';
import { ReplicaRig, type Replica } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

let rig: ReplicaRig;
let store: Store | undefined;

beforeEach(async () => {
  rig = await ReplicaRig.start({ taskDurationMs: 200 });
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rig.close();
});

function replica(): Promise<Replica> {
  return rig.replica({ STORE_URL: REDIS_URL!, LOCK_DURATION_MS: '2000', DAILY_CREDITS: '10' });
}

/** What the pools have left, read from the replicas' Redis as any other replica would. */
async function poolsLeft(pools: PoolCharge[]): Promise<number[]> {
  store ??= await openStore(REDIS_URL!, { prefix: rig.prefix });
  const quota = new QuotaService(
    store.namespace('quota'),
    { dailyCredits: 10, costs: { '1K': 1, '2K': 2, '4K': 4 }, maxActivePerUser: 1_000 },
    Date.now,
    store.lock,
  );
  return (await quota.status('nobody', pools)).pools.map((pool) => pool.remaining);
}

// Real processes on a machine that may be busy: starting them takes a while.
const TEST_TIMEOUT_MS = 90_000;

describe.skipIf(!REDIS_URL)(
  'credit pools over two replicas on one Redis',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    it('50 simultaneous requests from 50 people over two processes against a server pool of 5 create exactly 5 tasks', async () => {
      const server: PoolCharge[] = [
        { pool: 'server:discord:G1', period: 'day', limit: 5 },
        { pool: 'server:discord:G1', period: 'month', limit: 100 },
      ];
      const [first, second] = await Promise.all([replica(), replica()]);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          (index % 2 === 0 ? first : second).request({
            requestId: `pool-${index}`,
            userKey: `discord:user-${index}`,
            pools: server,
          }),
        ),
      );
      expect(answers.filter((answer) => answer.accepted)).toHaveLength(5);
      expect(
        new Set(answers.filter((answer) => !answer.accepted).map((answer) => answer.code)),
      ).toEqual(new Set(['server_daily_exhausted']));
      await rig.recorder.waitFor(
        () => (rig.recorder.finals().length === 5 ? true : undefined),
        20_000,
        'five results',
      );
      expect(rig.sim.createdTaskCount).toBe(5);
      expect(await poolsLeft(server)).toEqual([0, 95]);
    });

    it("a failure on one replica returns the pool's credits to the other", async () => {
      const server: PoolCharge[] = [{ pool: 'server:slack:T1', period: 'month', limit: 1 }];
      const [first, second] = await Promise.all([replica(), replica()]);
      expect(
        await first.request({
          requestId: 'fails',
          userKey: 'slack:T1:U1',
          prompt: 'a [fail]',
          pools: server,
        }),
      ).toMatchObject({ accepted: true });
      expect(
        await second.request({ requestId: 'waits', userKey: 'slack:T1:U2', pools: server }),
      ).toMatchObject({ accepted: false, code: 'server_monthly_exhausted' });
      const final = await rig.recorder.waitFor(
        () => rig.recorder.finals('fails')[0],
        20_000,
        'the failure',
      );
      expect(final.view).toMatchObject({ kind: 'failed', refunded: true });
      expect(await poolsLeft(server)).toEqual([1]);
      expect(
        await second.request({ requestId: 'retried', userKey: 'slack:T1:U2', pools: server }),
      ).toMatchObject({ accepted: true });
    });
  },
);
