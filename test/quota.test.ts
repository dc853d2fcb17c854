import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { describeReset, nextUtcMidnight, QuotaService, utcDay } from '../src/core/quota.js';

const settings = {
  dailyCredits: 10,
  costs: { '1K': 1, '2K': 2, '4K': 4 } as const,
  maxActivePerUser: 3,
};

function quotaAt(time: { now: number }) {
  return new QuotaService(new Keyv({ namespace: 'quota' }), settings, () => time.now);
}

describe('QuotaService', () => {
  it('holds credits while a job runs, keeps them on success and returns them on failure', async () => {
    const clock = { now: Date.parse('2026-11-22T10:00:00Z') };
    const quota = quotaAt(clock);
    await quota.reserve('u', 'job-1', 4);
    await quota.reserve('u', 'job-2', 2);
    expect(await quota.status('u')).toMatchObject({
      used: 6,
      remaining: 4,
      activeJobIds: ['job-1', 'job-2'],
    });
    await quota.commit('u', 'job-1');
    await quota.refund('u', 'job-2');
    expect(await quota.status('u')).toMatchObject({ used: 4, remaining: 6, activeJobIds: [] });
  });

  it('is idempotent: committing or refunding twice, or reserving the same job twice, changes nothing more', async () => {
    const clock = { now: Date.parse('2026-11-22T10:00:00Z') };
    const quota = quotaAt(clock);
    await quota.reserve('u', 'job-1', 2);
    await quota.reserve('u', 'job-1', 2);
    expect((await quota.status('u')).used).toBe(2);
    await quota.commit('u', 'job-1');
    await quota.commit('u', 'job-1');
    await quota.refund('u', 'job-1');
    expect((await quota.status('u')).used).toBe(2);
  });

  it('resets at midnight UTC, and a job held over midnight does not charge the new day', async () => {
    const clock = { now: Date.parse('2026-11-22T23:59:00Z') };
    const quota = quotaAt(clock);
    await quota.reserve('u', 'done-before', 8);
    await quota.commit('u', 'done-before');
    await quota.reserve('u', 'spans-midnight', 2);
    await expect(quota.reserve('u', 'one-more', 1)).rejects.toMatchObject({
      code: 'quota_exhausted',
    });
    clock.now = Date.parse('2026-11-23T00:01:00Z');
    expect(await quota.status('u')).toMatchObject({
      used: 0,
      remaining: 10,
      activeJobIds: ['spans-midnight'],
    });
    await quota.commit('u', 'spans-midnight');
    expect((await quota.status('u')).used).toBe(0);
  });

  it('counts jobs in flight against MAX_ACTIVE_PER_USER, per user', async () => {
    const quota = quotaAt({ now: Date.now() });
    for (const id of ['a', 'b', 'c']) await quota.reserve('u', id, 1);
    const refusal = await quota
      .reserve('u', 'd', 1)
      .catch((error: unknown) => error as Error & { code: string });
    expect(refusal?.code).toBe('too_many_active');
    expect(refusal?.message).toContain('You already have 3 images generating');
    await quota.reserve('someone-else', 'e', 1);
    await quota.refund('u', 'a');
    await quota.reserve('u', 'd', 1);
  });

  it('applies an admin-set daily allowance instead of the default', async () => {
    const quota = quotaAt({ now: Date.now() });
    await quota.setDailyCredits('u', 0);
    await expect(quota.reserve('u', 'a', 1)).rejects.toMatchObject({ code: 'quota_exhausted' });
    await quota.setDailyCredits('u', 100);
    await quota.reserve('u', 'a', 4);
    expect(await quota.status('u')).toMatchObject({ dailyCredits: 100, remaining: 96 });
    await expect(quota.setDailyCredits('u', -1)).rejects.toThrow(RangeError);
  });

  it('checks a cost without holding anything, refusing exactly as a reservation would', async () => {
    const quota = quotaAt({ now: Date.now() });
    await quota.check('u', 10);
    expect(await quota.status('u')).toMatchObject({ used: 0, activeJobIds: [] });
    await quota.reserve('u', 'a', 8);
    await expect(quota.check('u', 4)).rejects.toMatchObject({ code: 'quota_exhausted' });
    await quota.check('u', 2);
    expect((await quota.status('u')).used).toBe(8);
  });

  it('serialises concurrent reservations so a user never overshoots', async () => {
    const quota = quotaAt({ now: Date.now() });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) => quota.reserve('u', `job-${index}`, 4)),
    );
    // 10 credits buy two 4-credit jobs; the third active slot is refused for credits, not concurrency.
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
  });
});

describe('day arithmetic', () => {
  it('uses UTC days and says when credits reset', () => {
    const now = Date.parse('2026-11-22T21:40:00Z');
    expect(utcDay(now)).toBe('2026-11-22');
    expect(nextUtcMidnight(now).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(describeReset(nextUtcMidnight(now), now)).toBe('in 2 h 20 min (00:00 UTC)');
    expect(describeReset(nextUtcMidnight(now), Date.parse('2026-11-22T23:59:30Z'))).toBe(
      'in 1 min (00:00 UTC)',
    );
  });
});
