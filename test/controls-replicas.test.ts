import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import { AuditLog, type AuditEvent } from '../src/audit/index.js';
import { QuotaService } from '../src/core/quota.js';
import type { Store } from '../src/core/store.js';
import type { PoolCharge } from '../src/core/types.js';
import { WorkspaceSettingsService } from '../src/conversation/settings/index.js';
import { openStore } from '../src/storage/open-store.js';
import { showsFailure, showsImage } from './fakes/discord/harness.js';
import { current, startDiscordFake, textOf, type DiscordFake } from './fakes/discord/index.js';
import type { InteractionHandle } from './fakes/discord/handle.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { CONTENT_POLICY_FAIL_MESSAGE } from '../src/simulator/image-api.js';
import { CrashableBot } from './helpers/crashable-bot.js';
import { TEST_KEY } from './helpers/core.js';
import { eventually, metricSample, startRoundRobin, type RoundRobin } from './helpers/replicas.js';
import { REDIS_URL } from './helpers/stores.js';

/**
 * Operator controls across replicas, end to end: two whole bot processes (startBot, discord.js)
 * on one Redis behind a round-robin load balancer, Discord delivering interactions over HTTP.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Deployment {
  fake: DiscordFake;
  sim: ImageApiSimulator;
  balancer: RoundRobin;
  /** Each replica's HTTP origin (health, /metrics). */
  origins: string[];
  /** The replicas' store, as another replica would open it. */
  store: Store;
}

/** The fakes, two bot processes with this environment, and the balancer in front of them. */
async function twoReplicas(env: Record<string, string>): Promise<Deployment> {
  // The test is about the pool, not about answering in time (that has tests of its own): on a
  // busy two-core machine, two processes answering 50 at once may need more than Discord's 3 s.
  const fake = await startDiscordFake({ callbackDeadlineMs: 15_000 });
  closers.push(() => fake.close());
  // The first task waits until the test fails it; the others end on their own, soon.
  const sim = await startImageApiSimulator({
    taskDurationMs: (_input, index) => (index === 0 ? 600_000 : 1_000),
  });
  closers.push(() => sim.close());
  await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const prefix = `controls-${randomBytes(5).toString('hex')}:`;
  const replicaEnv = {
    AIGPTIMAGE_API_KEY: TEST_KEY,
    AIGPTIMAGE_BASE_URL: sim.url,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    // Discord shows the application's key as the raw 32 bytes in hex: the end of the SPKI DER.
    DISCORD_PUBLIC_KEY: publicKey
      .export({ format: 'der', type: 'spki' })
      .subarray(-32)
      .toString('hex'),
    STORE_URL: REDIS_URL!,
    STORE_PREFIX: prefix,
    HTTP_PORT: '0',
    API_TIER: 'enterprise',
    FETCH_ALLOW_HOSTS: new URL(fake.apiUrl).host,
    LOG_LEVEL: 'warn',
    ...env,
  };
  const bots = await Promise.all([CrashableBot.start(replicaEnv), CrashableBot.start(replicaEnv)]);
  for (const bot of bots) closers.push(() => bot.stop());
  const ports = await Promise.all(bots.map((bot) => bot.httpPort));
  const origins = ports.map((port) => `http://127.0.0.1:${port}`);
  const balancer = await startRoundRobin(origins);
  closers.push(() => balancer.close());
  fake.interactionsEndpoint = { url: `${balancer.url}/discord/interactions`, privateKey };
  const store = await openStore(REDIS_URL!, { prefix });
  closers.push(() => store.close());
  return { fake, sim, balancer, origins, store };
}

/** What a server's pools have left, read from the store the replicas share. */
async function poolsLeft(store: Store, pools: PoolCharge[]): Promise<number[]> {
  const quota = new QuotaService(
    store.namespace('quota'),
    { dailyCredits: 20, costs: { '1K': 1, '2K': 2, '4K': 4 }, maxActivePerUser: 2 },
    Date.now,
    store.lock,
  );
  return (await quota.poolStatus(pools)).map((pool) => pool.remaining);
}

const SERVER_DAILY_REFUSAL = 'the credits this server shares have 0 left today';

/** Everything the member reads in answer: the response and any follow-ups. */
function answerOf(reply: InteractionHandle): string {
  return [reply.response(), ...reply.followups()]
    .filter((message) => message !== undefined && !message.deleted)
    .map((message) => textOf(current(message!)))
    .join('\n');
}

/** Waits until the command either has a task at the API or was refused for the server's pool. */
function settled(deployment: Deployment, reply: InteractionHandle): Promise<'task' | 'refused'> {
  return deployment.fake.waitFor(
    () => {
      if (deployment.sim.taskFor(reply.id)) return 'task';
      return answerOf(reply).includes(SERVER_DAILY_REFUSAL) ? 'refused' : undefined;
    },
    `a task or a refusal for interaction ${reply.id}`,
    30_000,
  );
}

/** A workspace's audit trail, read from the shared store as the usage report reads it. */
function auditOf(store: Store, workspaceId: string): Promise<AuditEvent[]> {
  return new AuditLog({ store, retentionDays: 30 }).query(workspaceId, 0, Date.now() + 1);
}

describe.skipIf(!REDIS_URL)(
  "a server's daily pool over two bot processes on one Redis",
  { timeout: 180_000 },
  () => {
    it('50 members at once against SERVER_DAILY_CREDITS=5 make exactly 5 tasks; a failure returns its credit', async () => {
      const deployment = await twoReplicas({ SERVER_DAILY_CREDITS: '5' });
      const { fake, sim, balancer, store } = deployment;
      const guildId = fake.defaultGuildId;
      const pools: PoolCharge[] = [{ pool: `server:discord:${guildId}`, period: 'day', limit: 5 }];
      // The server's admins chose an audit channel (saved where every replica reads settings).
      const auditChannel = fake.addChannel({ name: 'image-audit', guildId });
      await WorkspaceSettingsService.fromStore(store).update(`discord:${guildId}`, (settings) => ({
        ...settings,
        auditChannel: auditChannel.id,
      }));

      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          fake.runCommand({
            name: 'imagine',
            user: fake.user(`member-${index}`),
            options: { prompt: `portrait number ${index}` },
          }),
        ),
      );
      const outcomes = await Promise.all(replies.map((reply) => settled(deployment, reply)));
      // Both processes took their share of the 50 interactions, each answered in time.
      expect(balancer.handed).toEqual([25, 25]);
      expect(fake.endpointResponses.filter((answer) => answer.status === 200)).toHaveLength(50);
      expect(outcomes.filter((outcome) => outcome === 'task')).toHaveLength(5);
      expect(outcomes.filter((outcome) => outcome === 'refused')).toHaveLength(45);
      expect(sim.createdTaskCount).toBe(5);
      const refusal = answerOf(replies[outcomes.indexOf('refused')]!);
      expect(refusal).toContain("an admin can raise the server's daily budget");
      expect(refusal).toMatch(/They reset .+;/);
      expect(await poolsLeft(store, pools)).toEqual([0]);

      // One of the five fails at the API: the member sees why, and the server gets its credit back.
      const accepted = replies.filter((_, index) => outcomes[index] === 'task');
      const failing = accepted.find((reply) => sim.taskFor(reply.id)!.index === 0)!;
      const succeeding = accepted.filter((reply) => reply !== failing);
      sim.finishTask(sim.taskFor(failing.id)!.taskId, 'fail');
      const failed = await failing.waitForResponse(showsFailure, 'the failure', 15_000);
      expect(textOf(current(failed))).toContain(CONTENT_POLICY_FAIL_MESSAGE);
      expect(
        await eventually(
          () => poolsLeft(store, pools),
          ([left]) => left === 1,
        ),
      ).toEqual([1]);

      // One more now fits, and only one.
      const [late, tooLate] = await Promise.all([
        fake.runCommand({
          name: 'imagine',
          user: fake.user('late-member'),
          options: { prompt: 'one more fits' },
        }),
        fake.runCommand({
          name: 'imagine',
          user: fake.user('later-member'),
          options: { prompt: 'but not two' },
        }),
      ]);
      const lateOutcomes = await Promise.all([
        settled(deployment, late),
        settled(deployment, tooLate),
      ]);
      expect([...lateOutcomes].sort()).toEqual(['refused', 'task']);
      expect(sim.createdTaskCount).toBe(6);

      // The rest succeed; each outcome is audited once, whichever replica saw it.
      const lateAccepted = lateOutcomes[0] === 'task' ? late : tooLate;
      await Promise.all(
        [...succeeding, lateAccepted].map((reply) =>
          reply.waitForResponse(showsImage, 'the result', 20_000),
        ),
      );
      // Finished events are written just after the result is shown: wait for the last of them.
      const events = await eventually(
        () => auditOf(store, `discord:${guildId}`),
        (read) => read.length >= 6 + 46 + 6,
      );
      const count = (outcome: AuditEvent['outcome']) =>
        events.filter((event) => event.outcome === outcome).length;
      expect({
        accepted: count('accepted'),
        refused: count('refused'),
        succeeded: count('succeeded'),
        failed: count('failed'),
      }).toEqual({ accepted: 6, refused: 46, succeeded: 5, failed: 1 });
      expect(
        new Set(events.filter((event) => event.outcome === 'refused').map((event) => event.reason)),
      ).toEqual(new Set(['server_daily_exhausted']));
      expect(events.find((event) => event.outcome === 'failed')).toMatchObject({
        requestId: failing.id,
        workspaceId: `discord:${guildId}`,
        channelId: fake.defaultChannelId,
        cost: 1,
        taskId: sim.taskFor(failing.id)!.taskId,
      });

      // One line per refusal and per finished generation in the audit channel, from one replica.
      const lines = await eventually(
        async () => fake.messagesIn(auditChannel.id).map((message) => current(message).content),
        (read) => read.length >= 46 + 6,
      );
      expect(lines).toHaveLength(46 + 6);
      const prompts = [
        ...Array.from({ length: 50 }, (_, index) => `portrait number ${index}`),
        'one more fits',
        'but not two',
      ];
      for (const prompt of prompts)
        expect(lines.filter((line) => line.includes(`“${prompt}”`))).toHaveLength(1);

      // Each replica counts the events it was first to record: together, the audit's numbers.
      const scrapes = await Promise.all(
        deployment.origins.map(async (origin) => (await fetch(`${origin}/metrics`)).text()),
      );
      const total = (series: string) =>
        scrapes.reduce((sum, text) => sum + (metricSample(text, series) ?? 0), 0);
      expect(total('gib_credits_spent_total')).toBe(5);
      expect(total('gib_generation_refusals_total{reason="server_daily_exhausted"}')).toBe(46);
    });
  },
);
