import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { describeMonthReset, serverPoolCharges } from '../src/core/budget-pools.js';
import { QuotaService } from '../src/core/quota.js';
import type { PoolCharge } from '../src/core/types.js';
import { loadConfig } from '../src/config.js';

const settings = {
  dailyCredits: 10,
  costs: { '1K': 1, '2K': 2, '4K': 4 } as const,
  maxActivePerUser: 10,
};

/** A server's pools as the conversation will compute them from its settings. */
function serverPools(daily: number, monthly: number, server = 'server:discord:G1'): PoolCharge[] {
  return [
    { pool: server, period: 'day', limit: daily },
    { pool: server, period: 'month', limit: monthly },
  ];
}

function quotaAt(clock: { now: number }) {
  return new QuotaService(new Keyv({ namespace: 'quota' }), settings, () => clock.now);
}

async function remainingOf(quota: QuotaService, user: string, pools: PoolCharge[]) {
  const status = await quota.status(user, pools);
  return { user: status.remaining, pools: status.pools.map((pool) => pool.remaining) };
}

describe('credit pools: a generation is charged to the user and every pool at once', () => {
  it('reserves from all, keeps on commit, returns to all on refund and after returnSpent', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const quota = quotaAt(clock);
    const pools = serverPools(8, 20);
    await quota.reserve('u1', 'a', 4, pools);
    await quota.reserve('u2', 'b', 2, pools);
    expect(await remainingOf(quota, 'u1', pools)).toEqual({ user: 6, pools: [2, 14] });
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 8, pools: [2, 14] });

    await quota.commit('u1', 'a', pools);
    await quota.refund('u2', 'b', pools);
    expect(await remainingOf(quota, 'u1', pools)).toEqual({ user: 6, pools: [4, 16] });
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 10, pools: [4, 16] });

    // The committed image could not be shown after all: every ledger gets its 4 back.
    await quota.returnSpent('u1', 4, clock.now, pools);
    expect(await remainingOf(quota, 'u1', pools)).toEqual({ user: 10, pools: [8, 20] });
  });

  it('is all or nothing: a pool that cannot pay leaves the user and the other pools untouched', async () => {
    const quota = quotaAt({ now: Date.parse('2026-12-03T10:00:00Z') });
    const pools = serverPools(3, 100);
    await quota.reserve('u1', 'a', 2, pools);
    await expect(quota.reserve('u2', 'b', 2, pools)).rejects.toMatchObject({
      code: 'server_daily_exhausted',
      params: { remaining: 1, cost: 2 },
    });
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 10, pools: [1, 98] });
    expect((await quota.status('u2')).activeJobIds).toEqual([]);
    // The pools of another server are their own.
    await quota.reserve('u2', 'c', 2, serverPools(3, 100, 'server:slack:T9'));
  });

  it('is idempotent: reserving, committing or refunding the same job twice changes nothing more', async () => {
    const quota = quotaAt({ now: Date.parse('2026-12-03T10:00:00Z') });
    const pools = serverPools(5, 5);
    await quota.reserve('u', 'a', 2, pools);
    await quota.reserve('u', 'a', 2, pools);
    expect(await remainingOf(quota, 'u', pools)).toEqual({ user: 8, pools: [3, 3] });
    await quota.commit('u', 'a', pools);
    await quota.commit('u', 'a', pools);
    await quota.refund('u', 'a', pools);
    expect(await remainingOf(quota, 'u', pools)).toEqual({ user: 8, pools: [3, 3] });
  });

  it('check gives the refusal reserve would, holding nothing', async () => {
    const quota = quotaAt({ now: Date.parse('2026-12-03T10:00:00Z') });
    const pools = serverPools(100, 3);
    await quota.reserve('u1', 'a', 2, pools);
    await expect(quota.check('u2', 2, pools)).rejects.toMatchObject({
      code: 'server_monthly_exhausted',
      params: { remaining: 1, cost: 2 },
    });
    await quota.check('u2', 1, pools);
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 10, pools: [98, 1] });
  });

  it('names the limit that frees up last: the month over the day, the user over a pool resetting with it', async () => {
    const quota = quotaAt({ now: Date.parse('2026-12-03T22:00:00Z') });
    await quota.reserve('u', 'a', 10, serverPools(10, 10));
    await quota.commit('u', 'a', serverPools(10, 10));
    await expect(quota.check('u', 1, serverPools(10, 10))).rejects.toMatchObject({
      code: 'server_monthly_exhausted',
    });
    await expect(quota.check('u', 1, serverPools(10, 100))).rejects.toMatchObject({
      code: 'quota_exhausted',
    });
  });

  it('says when a server pool resets, in words', async () => {
    const quota = quotaAt({ now: Date.parse('2026-12-03T20:40:00Z') });
    await quota.reserve('u1', 'a', 2, serverPools(2, 2));
    const daily = await quota.check('u2', 1, serverPools(2, 100)).catch((error: Error) => error);
    expect(daily?.message).toBe(
      "This image costs 1 credit and the credits this server shares have 0 left today. They reset in 3 h 20 min (00:00 UTC); until then an admin can raise the server's daily budget.",
    );
    const monthly = await quota.check('u2', 4, serverPools(100, 3)).catch((error: Error) => error);
    expect(monthly?.message).toBe(
      "This image costs 4 credits and the credits this server shares have 1 left this month. They reset in 28 days 4 h (00:00 UTC on 1 January); until then a lower resolution may fit, or an admin can raise the server's monthly budget.",
    );
    expect(
      describeMonthReset(new Date('2027-01-01T00:00:00Z'), Date.parse('2026-12-31T21:00:00Z')),
    ).toBe('in 3 h 0 min (00:00 UTC)');
  });

  it('rolls the day pool over at UTC midnight and the month pool on the 1st, not before', async () => {
    const clock = { now: Date.parse('2026-12-31T23:00:00Z') };
    const quota = quotaAt(clock);
    const pools = serverPools(5, 8);
    await quota.reserve('u1', 'a', 4, pools);
    await quota.commit('u1', 'a', pools);
    clock.now = Date.parse('2026-12-31T23:59:59Z');
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 10, pools: [1, 4] });

    clock.now = Date.parse('2027-01-01T00:00:01Z');
    const status = await quota.status('u2', pools);
    expect(status.pools).toEqual([
      { ...pools[0], used: 0, remaining: 5, resetsAt: new Date('2027-01-02T00:00:00Z') },
      { ...pools[1], used: 0, remaining: 8, resetsAt: new Date('2027-02-01T00:00:00Z') },
    ]);

    // A new day within the month: the day pool is full again, the month keeps what was spent.
    await quota.reserve('u1', 'b', 4, pools);
    await quota.commit('u1', 'b', pools);
    clock.now = Date.parse('2027-01-02T09:00:00Z');
    expect(await remainingOf(quota, 'u2', pools)).toEqual({ user: 10, pools: [5, 4] });
  });

  it('a job held over the month boundary is not charged to the new month, and returns nothing to it', async () => {
    const clock = { now: Date.parse('2027-01-31T23:59:00Z') };
    const quota = quotaAt(clock);
    const pools = serverPools(10, 10);
    await quota.reserve('u', 'spans', 4, pools);
    clock.now = Date.parse('2027-02-01T00:01:00Z');
    expect(await remainingOf(quota, 'u', pools)).toEqual({ user: 10, pools: [10, 10] });
    await quota.commit('u', 'spans', pools);
    await quota.returnSpent('u', 4, Date.parse('2027-01-31T23:59:00Z'), pools);
    expect(await remainingOf(quota, 'u', pools)).toEqual({ user: 10, pools: [10, 10] });
  });

  it('refuses a malformed charge as a bug, before touching anything', async () => {
    const quota = quotaAt({ now: Date.now() });
    await expect(
      quota.reserve('u', 'a', 1, [{ pool: 'server:x', period: 'day', limit: -1 }]),
    ).rejects.toThrow(RangeError);
    await expect(
      quota.reserve('u', 'a', 1, [
        { pool: 'server:x', period: 'day', limit: 5 },
        { pool: 'server:x', period: 'day', limit: 6 },
      ]),
    ).rejects.toThrow(/charged twice/);
    expect((await quota.status('u')).activeJobIds).toEqual([]);
  });
});

describe('SERVER_DAILY_CREDITS and SERVER_MONTHLY_CREDITS', () => {
  const base = { AIGPTIMAGE_API_KEY: 'sk-x', DISCORD_TOKEN: 't' };

  it('are no cap when unset or empty, whole credits when set', () => {
    for (const given of [
      base,
      { ...base, SERVER_DAILY_CREDITS: '', SERVER_MONTHLY_CREDITS: ' ' },
    ]) {
      const config = loadConfig(given);
      expect(config.SERVER_DAILY_CREDITS).toBeUndefined();
      expect(config.SERVER_MONTHLY_CREDITS).toBeUndefined();
    }
    expect(
      loadConfig({ ...base, SERVER_DAILY_CREDITS: '50', SERVER_MONTHLY_CREDITS: '1000' }),
    ).toMatchObject({ SERVER_DAILY_CREDITS: 50, SERVER_MONTHLY_CREDITS: 1000 });
  });

  it('name the variable and the value when not a whole number', () => {
    expect(() => loadConfig({ ...base, SERVER_MONTHLY_CREDITS: '2.5' })).toThrow(
      'SERVER_MONTHLY_CREDITS must be a whole number (got "2.5")',
    );
  });
});

describe("a server's pools from its settings and the operator's defaults", () => {
  it("charges a server's own budget over the defaults, and no pool for a period without a cap", () => {
    expect(serverPoolCharges('discord:G1', {}, {})).toEqual([]);
    expect(serverPoolCharges('discord:G1', {}, { daily: 50, monthly: 1_000 })).toEqual([
      { pool: 'server:discord:G1', period: 'day', limit: 50 },
      { pool: 'server:discord:G1', period: 'month', limit: 1_000 },
    ]);
    expect(serverPoolCharges('slack:T1', { monthly: 0 }, { daily: 50 })).toEqual([
      { pool: 'server:slack:T1', period: 'day', limit: 50 },
      { pool: 'server:slack:T1', period: 'month', limit: 0 },
    ]);
  });
});
