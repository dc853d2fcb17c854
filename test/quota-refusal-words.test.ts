import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { QuotaService } from '../src/core/quota.js';

const DEFAULT_COSTS = { '1K': 1, '2K': 2, '4K': 4 };

/** What a user who has spent `spent` of `daily` credits is told when asking for `cost` more. */
async function refusal(options: {
  daily: number;
  spent: number;
  cost: number;
  costs?: { '1K': number; '2K': number; '4K': number };
}): Promise<string> {
  const quota = new QuotaService(
    new Keyv({ namespace: 'quota' }),
    { dailyCredits: options.daily, costs: options.costs ?? DEFAULT_COSTS, maxActivePerUser: 5 },
    () => Date.parse('2026-11-22T10:00:00Z'),
  );
  await quota.reserve('u', 'spent', options.spent);
  await quota.commit('u', 'spent');
  return quota.check('u', options.cost).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
}

describe('the quota refusal suggests a lower resolution only when one would fit', () => {
  it('at 1K with no credits left: when they reset, and nothing about a lower resolution', async () => {
    const message = await refusal({ daily: 2, spent: 2, cost: 1 });
    expect(message).toMatch(
      /^This image costs 1 credit and you have 0 left today\. Your credits reset in .*\)\.$/,
    );
    expect(message).not.toContain('lower resolution');
  });

  it('at 4K with 1 credit left, when 1K costs 1: suggests a lower resolution', async () => {
    expect(await refusal({ daily: 2, spent: 1, cost: 4 })).toContain(
      'a lower resolution costs less',
    );
  });

  it('at 2K with 1 credit left, when 1K costs 2: no suggestion that would not fit either', async () => {
    const message = await refusal({
      daily: 2,
      spent: 1,
      cost: 3,
      costs: { '1K': 2, '2K': 3, '4K': 4 },
    });
    expect(message).toContain('you have 1 left today');
    expect(message).not.toContain('lower resolution');
  });
});
