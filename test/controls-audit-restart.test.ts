import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import { AuditLog, type AuditEvent } from '../src/audit/index.js';
import { openStore } from '../src/storage/open-store.js';
import { showsImage } from './fakes/discord/harness.js';
import { current, startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import type { InteractionHandle } from './fakes/discord/handle.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { until } from './fakes/slack/harness.js';
import { TEST_KEY } from './helpers/core.js';
import { CrashableBot, finishedJobs, freshSqliteUrl } from './helpers/crashable-bot.js';
import { eventually } from './helpers/replicas.js';

/**
 * A job resumed by a new bot process after a crash (SIGKILL, SQLite) is audited as finished once:
 * the audit keeps one record per request and outcome, whichever process wrote it, and how often.
 */

const TEST_TIMEOUT_MS = 120_000;
let fake: DiscordFake;
let sim: ImageApiSimulator;
let storeUrl: string;
/** What each test started, stopped last first: the bots, then the fakes they talk to. */
const started: Array<() => Promise<void>> = [];

beforeEach(async () => {
  fake = await startDiscordFake();
  started.push(() => fake.close());
  await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
  // Tasks finish when the test says, so the crash comes at a chosen step.
  sim = await startImageApiSimulator({ taskDurationMs: 600_000 });
  started.push(() => sim.close());
  storeUrl = freshSqliteUrl();
});

afterEach(async () => {
  for (const stop of started.splice(0).reverse()) await stop();
}, TEST_TIMEOUT_MS);

async function startBot(): Promise<CrashableBot> {
  const bot = await CrashableBot.start({
    AIGPTIMAGE_API_KEY: TEST_KEY,
    AIGPTIMAGE_BASE_URL: sim.url,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    FETCH_ALLOW_HOSTS: new URL(fake.apiUrl).host,
    STORE_URL: storeUrl,
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  started.push(() => bot.stop());
  await fake.waitForBot();
  return bot;
}

/** The request's audit events, read from the bots' SQLite file as the usage report reads them. */
async function auditedOutcomes(reply: InteractionHandle): Promise<AuditEvent['outcome'][]> {
  const store = await openStore(storeUrl);
  try {
    const events = await new AuditLog({ store, retentionDays: 30 }).query(
      `discord:${fake.defaultGuildId}`,
      0,
      Date.now() + 1,
    );
    return events.filter((event) => event.requestId === reply.id).map((event) => event.outcome);
  } finally {
    await store.close();
  }
}

/** `/imagine` on the first bot, up to a running task. */
async function generationUnderway(): Promise<InteractionHandle> {
  const reply = await fake.runCommand({
    name: 'imagine',
    options: { prompt: 'a harbour at night' },
    user: fake.user('ines'),
  });
  await until(() => sim.taskFor(reply.id), 'the task', 20_000);
  return reply;
}

function finishTask(reply: InteractionHandle): void {
  sim.finishTask(sim.taskFor(reply.id)!.taskId, 'success');
}

const shownResults = () =>
  [...fake.messages.values()].filter((message) => !message.deleted && showsImage(current(message)));

describe('the audit of a job resumed after a crash', { timeout: TEST_TIMEOUT_MS }, () => {
  it('crashed while the result was being shown: the new process shows it and records succeeded once', async () => {
    const first = await startBot();
    const reply = await generationUnderway();
    // Discord takes the edit that uploads the image, and the bot dies before hearing back.
    const held = fake.holdNext({
      method: 'PATCH',
      path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      body: (body) => body.files.length > 0,
      applied: true,
    });
    finishTask(reply);
    await held;
    await first.crash();
    await startBot();

    const [job] = await finishedJobs(storeUrl);
    expect(job).toMatchObject({ requestId: reply.id, state: 'done' });
    expect(shownResults()).toHaveLength(1);
    const outcomes = await eventually(
      () => auditedOutcomes(reply),
      (read) => read.includes('succeeded'),
    );
    expect(outcomes).toEqual(['accepted', 'succeeded']);
  });

  it('crashed just after recording succeeded: whatever the new process resumes, succeeded is recorded once', async () => {
    const first = await startBot();
    const reply = await generationUnderway();
    finishTask(reply);
    expect(
      await eventually(
        () => auditedOutcomes(reply),
        (read) => read.includes('succeeded'),
      ),
    ).toEqual(['accepted', 'succeeded']);
    await first.crash();
    await startBot();

    const [job] = await finishedJobs(storeUrl);
    expect(job).toMatchObject({ requestId: reply.id, state: 'done' });
    expect(shownResults()).toHaveLength(1);
    expect(await auditedOutcomes(reply)).toEqual(['accepted', 'succeeded']);
    expect(sim.createdTaskCount).toBe(1);
  });
});
