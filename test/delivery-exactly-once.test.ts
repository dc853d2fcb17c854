import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import { JobStore } from '../src/core/jobs.js';
import { openStore } from '../src/storage/open-store.js';
import type {
  DeliveryProgress,
  DeliveryRecord,
  DeliverySteps,
  JobRecord,
  JobView,
} from '../src/core/types.js';
import type { JobCard } from '../src/platforms/playground/room.js';
import { PlaygroundApiClient } from './browser/playground-api-client.js';
import {
  current,
  startDiscordFake,
  type DiscordFake,
  type FakeMessage,
} from './fakes/discord/index.js';
import { showsImage } from './fakes/discord/harness.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { ALICE, GENERAL, until } from './fakes/slack/harness.js';
import {
  FAKE_APP_TOKEN,
  FAKE_BOT_TOKEN,
  startFakeSlack,
  type FakeSlack,
} from './fakes/slack/server.js';
import { makeRequest, startTestCore, stateOf, TEST_KEY } from './helpers/core.js';
import { RecordingDelivery } from './helpers/recording-delivery.js';
import { CrashableBot, finishedJobs, freshSqliteUrl } from './helpers/crashable-bot.js';

/**
 * Each case crashes the bot (SIGKILL of a real process) at one step of showing a finished image,
 * starts a new bot on the same SQLite file, and checks what the requester sees: the result once,
 * one upload, and the job recorded as done. The fake holds the step's request and never answers
 * it; it has either carried it out first ("carried out") or not ("lost").
 */

/** Two bot processes start per case; on a loaded machine each start can take several seconds. */
const CRASH_TEST_TIMEOUT_MS = 120_000;

let sim: ImageApiSimulator;
let storeUrl: string;
let bots: CrashableBot[] = [];

beforeEach(async () => {
  // Tasks finish when the test says, so each crash point is set up before the result exists.
  sim = await startImageApiSimulator({ taskDurationMs: 600_000 });
  storeUrl = freshSqliteUrl();
});

afterEach(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  bots = [];
  await sim.close();
}, CRASH_TEST_TIMEOUT_MS);

async function startBot(env: Record<string, string>): Promise<CrashableBot> {
  const bot = await CrashableBot.start({
    AIGPTIMAGE_API_KEY: TEST_KEY,
    AIGPTIMAGE_BASE_URL: sim.url,
    STORE_URL: storeUrl,
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  });
  bots.push(bot);
  return bot;
}

/** Finishes the one task once the crash point is armed, and waits for the bot to reach it. */
async function finishTaskAndReach(crashPoint: Promise<void>): Promise<void> {
  const taskId = await until(() => [...sim.tasks.keys()][0], 'the task', 20_000);
  sim.finishTask(taskId, 'success');
  await crashPoint;
}

/** The image download hangs: the crash comes before anything was sent to the platform. */
function holdDownload(): Promise<void> {
  sim.inject({ endpoint: 'cdn', kind: { type: 'hang' } });
  return until(
    () => sim.requests.some((request) => request.endpoint === 'cdn'),
    'the image download',
    20_000,
  ).then(() => undefined);
}

async function expectOneFinishedJob(): Promise<JobRecord> {
  const jobs = await finishedJobs(storeUrl);
  expect(jobs).toHaveLength(1);
  expect(jobs[0]!.state).toBe('done');
  expect(jobs[0]!.deliveryError).toBeUndefined();
  expect(sim.createdTaskCount).toBe(1);
  return jobs[0]!;
}

const OUTCOMES = [
  { name: 'carried out', applied: true },
  { name: 'lost', applied: false },
] as const;

describe('a crash while a result is shown on Discord', { timeout: CRASH_TEST_TIMEOUT_MS }, () => {
  let fake: DiscordFake;

  beforeEach(async () => {
    fake = await startDiscordFake();
    await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
  });

  afterEach(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await fake.close();
  }, CRASH_TEST_TIMEOUT_MS);

  const env = () => ({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });

  /** Every upload Discord took in, across every message and edit. */
  const uploads = () =>
    new Set(
      [...fake.messages.values()].flatMap((message) =>
        message.revisions.flatMap((revision) => revision.attachments.map((file) => file.id)),
      ),
    );

  const shownResults = (): FakeMessage[] =>
    [...fake.messages.values()].filter(
      (message) => !message.deleted && showsImage(current(message)),
    );

  async function crashAndRestart(
    armCrashPoint: () => Promise<void>,
    options: { deleteStatus?: boolean } = {},
  ): Promise<void> {
    const first = await startBot(env());
    await fake.waitForBot();
    const reply = await fake.runCommand({
      name: 'imagine',
      options: { prompt: 'a red fox in the snow' },
      user: fake.user('ada'),
    });
    await reply.waitForCallback();
    await until(() => sim.tasks.size > 0, 'the task', 20_000);
    // Someone deleted the status message: the result must arrive as a new channel message.
    if (options.deleteStatus) fake.deleteMessage(reply.response()!.id);
    await finishTaskAndReach(armCrashPoint());
    await first.crash();
    await startBot(env());
  }

  const finalEdit = (applied: boolean) => () =>
    fake.holdNext({
      method: 'PATCH',
      path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      body: (body) => body.files.length > 0,
      applied,
    });

  const channelPost = (applied: boolean) => () =>
    fake.holdNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, applied });

  it('while the image downloads: the restarted bot shows it once', async () => {
    await crashAndRestart(holdDownload);
    await until(() => shownResults().length > 0, 'the result', 20_000);
    await expectOneFinishedJob();
    expect(shownResults()).toHaveLength(1);
    expect(uploads().size).toBe(1);
  });

  for (const { name, applied } of OUTCOMES) {
    it(`during the final edit that uploads the image (${name}): one image, uploaded once`, async () => {
      await crashAndRestart(finalEdit(applied));
      await until(() => shownResults().length > 0, 'the result', 20_000);
      await expectOneFinishedJob();
      const [result] = shownResults();
      expect(shownResults()).toHaveLength(1);
      expect(current(result!).attachments).toHaveLength(1);
      expect(uploads().size).toBe(1);
    });

    it(`during the channel message that replaces a deleted status (${name}): one message`, async () => {
      await crashAndRestart(channelPost(applied), { deleteStatus: true });
      await until(() => shownResults().length > 0, 'the result', 20_000);
      await expectOneFinishedJob();
      const [result] = shownResults();
      expect(shownResults()).toHaveLength(1);
      expect(current(result!).via).toBe('channel');
      expect(uploads().size).toBe(1);
    });
  }

  it('during the channel message, resumed after Discord forgot its nonce (carried out): one message', async () => {
    // As if the restart came later than Discord's "few minutes": only looking finds the message.
    fake.nonceWindowMs = 0;
    await crashAndRestart(channelPost(true), { deleteStatus: true });
    await until(() => shownResults().length > 0, 'the result', 20_000);
    await expectOneFinishedJob();
    expect(shownResults()).toHaveLength(1);
    expect(uploads().size).toBe(1);
  });
});

describe('a crash while a result is shown on Slack', { timeout: CRASH_TEST_TIMEOUT_MS }, () => {
  let fake: FakeSlack;

  beforeEach(async () => {
    fake = await startFakeSlack();
    fake.workspace.addUser({ id: ALICE, name: 'alice' });
    fake.workspace.addChannel({ id: GENERAL, name: 'general', members: [ALICE] });
  });

  afterEach(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await fake.close();
  }, CRASH_TEST_TIMEOUT_MS);

  const env = () => ({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_APP_TOKEN: FAKE_APP_TOKEN,
    SLACK_API_URL: fake.apiUrl,
  });

  const completedFiles = () => [...fake.workspace.files.values()].filter((file) => file.completed);

  async function crashAndRestart(armCrashPoint: () => Promise<void>, text = 'a red fox') {
    const first = await startBot(env());
    await fake.socket.waitForConnection();
    await fake.slashCommand({ text, userId: ALICE, channelId: GENERAL });
    await finishTaskAndReach(armCrashPoint());
    await first.crash();
    await startBot(env());
  }

  /** The channel as people see it once the job is done: the one result, the status gone. */
  async function expectOneResultInChannel(): Promise<void> {
    await expectOneFinishedJob();
    const messages = fake.messagesIn(GENERAL);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.files).toHaveLength(1);
    expect(completedFiles()).toHaveLength(1);
    expect(completedFiles()[0]!.channels).toEqual([GENERAL]);
  }

  const steps = [
    { step: 'sending the bytes', method: 'upload' },
    { step: 'completing the upload into the channel', method: 'files.completeUploadExternal' },
    { step: 'deleting the status message', method: 'chat.delete' },
  ];

  it('while the image downloads: the restarted bot shows it once', async () => {
    await crashAndRestart(holdDownload);
    await until(() => completedFiles().length > 0, 'the result', 20_000);
    await expectOneResultInChannel();
  });

  for (const { step, method } of steps) {
    for (const { name, applied } of OUTCOMES) {
      it(`while ${step} (${name}): one message with one file`, async () => {
        await crashAndRestart(() => fake.holdNext({ method, applied }));
        await until(
          () => fake.messagesIn(GENERAL).length === 1 && completedFiles().length > 0,
          'the result alone in the channel',
          20_000,
        );
        await expectOneResultInChannel();
      });
    }
  }

  it('while completing a private result into the DM (carried out): one file, in the DM only', async () => {
    await crashAndRestart(
      () => fake.holdNext({ method: 'files.completeUploadExternal', applied: true }),
      'a red fox --private',
    );
    await until(() => fake.ephemeralsFor(ALICE).length > 0, 'the private note', 20_000);
    await expectOneFinishedJob();
    const dm = fake.workspace.imWith(ALICE).id;
    expect(completedFiles()).toHaveLength(1);
    expect(completedFiles()[0]!.channels).toEqual([dm]);
    expect(fake.messagesIn(dm)).toHaveLength(1);
    expect(fake.messagesIn(GENERAL)).toHaveLength(0);
  });
});

describe(
  'a crash while a result is shown in the playground',
  { timeout: CRASH_TEST_TIMEOUT_MS },
  () => {
    it('while the image downloads: the restarted bot shows one card with the image', async () => {
      const first = await startBot({ PLAYGROUND: 'true' });
      const page = await PlaygroundApiClient.open(
        `http://127.0.0.1:${await first.httpPort}/playground/`,
        'ada',
      );
      try {
        await page.command('/imagine a red fox');
        await finishTaskAndReach(holdDownload());
      } finally {
        await page.close();
      }
      await first.crash();
      const second = await startBot({ PLAYGROUND: 'true' });
      const again = await PlaygroundApiClient.open(
        `http://127.0.0.1:${await second.httpPort}/playground/`,
        'ada',
      );
      try {
        await again.until(
          () => again.jobs().some((message) => (message.body as JobCard).state === 'done'),
          'the finished card',
          20_000,
        );
        await expectOneFinishedJob();
        const cards = again.jobs();
        expect(cards).toHaveLength(1);
        const card = cards[0]!.body as JobCard;
        const image = await fetch(new URL(card.image!.url, again.base));
        expect(image.headers.get('content-type')).toBe('image/png');
      } finally {
        await again.close();
      }
    });
  },
);

/** Records, like a platform's delivery, one step before its outside call and one after. */
class SteppingDelivery extends RecordingDelivery {
  readonly stepsSeen: DeliverySteps[] = [];

  override async show(job: JobRecord, view: JobView, progress?: DeliveryProgress): Promise<void> {
    if (progress) {
      this.stepsSeen.push({ ...progress.steps });
      await progress.record({ posting: true });
    }
    await super.show(job, view);
    await progress?.record({ postedId: 'M1' });
  }
}

describe('the core, resuming a job a crash left while its result was being shown', () => {
  /** A job recorded as being delivered, the way a process killed mid-delivery leaves it. */
  async function leftByACrash(delivery: DeliveryRecord): Promise<JobRecord> {
    const request = makeRequest();
    const now = Date.now();
    const job: JobRecord = {
      ...request,
      cost: 1,
      state: 'delivering',
      taskId: 'task-1',
      createdAt: now - 5_000,
      submittedAt: now - 4_000,
      finishedAt: now - 1_000,
      updatedAt: now - 1_000,
      outcome: { kind: 'success', imageUrls: [`${sim.url}/image.png`], costTimeMs: 3_000 },
      delivery,
    };
    const store = await openStore(storeUrl);
    await new JobStore(store).save(job);
    await store.close();
    return job;
  }

  it('hands the delivery the steps recorded before the crash, and saves the ones it adds', async () => {
    const job = await leftByACrash({ steps: { fileId: 'F1', bytesSent: true } });
    const delivery = new SteppingDelivery();
    const core = await startTestCore({ apiUrl: sim.url, storeUrl, delivery });
    try {
      await stateOf(core, job.requestId, 'done');
      expect(delivery.stepsSeen).toEqual([{ fileId: 'F1', bytesSent: true }]);
      expect(delivery.finals(job.requestId)).toHaveLength(1);
      const saved = await core.service.jobs.get(job.requestId);
      expect(saved?.delivery).toEqual({
        steps: { fileId: 'F1', bytesSent: true, posting: true, postedId: 'M1' },
        shown: true,
      });
    } finally {
      await core.close();
    }
  });

  it('does not show again a result that was shown in full before the crash', async () => {
    const job = await leftByACrash({ steps: { postedId: 'M1' }, shown: true });
    const delivery = new SteppingDelivery();
    const core = await startTestCore({ apiUrl: sim.url, storeUrl, delivery });
    try {
      await stateOf(core, job.requestId, 'done');
      expect(delivery.finals(job.requestId)).toHaveLength(0);
      expect((await core.service.history('test:alice')).map((entry) => entry.requestId)).toEqual([
        job.requestId,
      ]);
    } finally {
      await core.close();
    }
  });
});
