import { afterEach, describe, expect, it } from 'vitest';
import {
  createTaskCalls,
  showsImage,
  startExtraBot,
  type DiscordTestBed,
  type ExtraBot,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, textOf } from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;
let other: ExtraBot | undefined;

const beds = testBedPerTest();
// Registered later, so it runs first: the other process stops before the test bed closes.
afterEach(async () => {
  await other?.stop();
  other = undefined;
});

/** Two processes of one bot, each connecting one of two gateway shards (as docker-compose.yml runs them). */
async function twoShardedProcesses(): Promise<{ bed: DiscordTestBed; other: ExtraBot }> {
  bed = await beds.start({
    fake: { recommendedShards: 2 },
    env: { SHARD_COUNT: '2', SHARD_IDS: '0' },
  });
  other = await startExtraBot(bed, { env: { SHARD_COUNT: '2', SHARD_IDS: '1' } });
  return { bed, other };
}

describe('gateway sharding across processes (SHARD_COUNT, SHARD_IDS)', () => {
  it('the fake recommends a shard count on GET /gateway/bot, as Discord does', async () => {
    bed = await beds.start({ fake: { recommendedShards: 3 } });
    const response = await fetch(`${bed.fake.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${bed.fake.token}` },
    });
    expect(await response.json()).toMatchObject({ shards: 3, url: bed.fake.gatewayUrl });
    // Unsharded, the bot identifies as shard 0 of 1 and receives every guild.
    expect(bed.fake.sessionShards).toEqual([[0, 1]]);
  });

  it('each process identifies with its own shard and answers only its guilds, exactly once each', async () => {
    const { bed, other } = await twoShardedProcesses();
    expect(bed.fake.sessionShards.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const shard0 = bed.fake.addGuildOnShard(0, 2);
    const shard1 = bed.fake.addGuildOnShard(1, 2);
    expect(Number((BigInt(shard0.guildId) >> 22n) % 2n)).toBe(0);
    expect(Number((BigInt(shard1.guildId) >> 22n) % 2n)).toBe(1);

    const alice = bed.fake.user('alice');
    const [first, second] = await Promise.all([
      bed.fake.runCommand({
        name: 'imagine',
        user: alice,
        guildId: shard0.guildId,
        channelId: shard0.channelId,
        options: { prompt: 'a fox on shard zero' },
      }),
      bed.fake.runCommand({
        name: 'imagine',
        user: alice,
        guildId: shard1.guildId,
        channelId: shard1.channelId,
        options: { prompt: 'an owl on shard one' },
      }),
    ]);
    const firstMessage = await first.waitForResponse(showsImage, 'the shard 0 result');
    const secondMessage = await second.waitForResponse(showsImage, 'the shard 1 result');
    expect(textOf(current(firstMessage))).toContain('a fox on shard zero');
    expect(textOf(current(secondMessage))).toContain('an owl on shard one');

    // Answered exactly once each: one callback, one task, keyed by the interaction id.
    expect(first.callbacks).toHaveLength(1);
    expect(second.callbacks).toHaveLength(1);
    expect(
      createTaskCalls(bed.sim)
        .map((call) => call.requestId)
        .sort(),
    ).toEqual([first.id, second.id].sort());
    // By the right process: each keeps its own store here, so the job is only where it was handled.
    expect(await bed.bot.service.jobs.get(first.id)).toBeDefined();
    expect(await bed.bot.service.jobs.get(second.id)).toBeUndefined();
    expect(await other.bot.service.jobs.get(second.id)).toBeDefined();
    expect(await other.bot.service.jobs.get(first.id)).toBeUndefined();
  });

  it('direct messages go to shard 0 only', async () => {
    const { bed, other } = await twoShardedProcesses();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('bob'),
      guildId: undefined,
      channelId: bed.fake.addChannel({ name: 'dm', guildId: undefined, type: 1 }).id,
      options: { prompt: 'a quiet dm' },
    });
    await reply.waitForResponse(showsImage, 'the DM result');
    expect(reply.callbacks).toHaveLength(1);
    expect(await bed.bot.service.jobs.get(reply.id)).toBeDefined();
    expect(await other.bot.service.jobs.get(reply.id)).toBeUndefined();
  });
});
