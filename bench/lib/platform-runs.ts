import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployDiscordCommands } from '../../commands/deploy-discord.js';
import type { CoreTuning } from '../../src/main.js';
import { startSimulatedImageApi, type SimulatedImageApi } from '../../src/simulator/image-api.js';
import {
  startDiscordFake,
  type DiscordFake,
  type InteractionHandle,
} from '../../test/fakes/discord/index.js';
import { showsFailure, showsImage } from '../../test/fakes/discord/harness.js';
import { textOf } from '../../test/fakes/discord/handle.js';
import { current } from '../../test/fakes/discord/state.js';
import {
  FAKE_APP_TOKEN,
  FAKE_BOT_TOKEN,
  startFakeSlack,
  type FakeSlack,
} from '../../test/fakes/slack/server.js';
import { BotProcess } from './bot-process.js';
import { summarize, type Distribution } from './stats.js';

/**
 * Runs of the whole bot (in a child process) against the fake Discord, where the real discord.js
 * client receives commands over the fake gateway, and against the fake Slack, where Bolt receives
 * them in Socket Mode: a burst of /imagine commands, how soon each is acknowledged, and whether
 * and when each result is delivered. Used by scenarios 2 (acknowledgements) and 4 (image relay).
 */

const ACK_TIMEOUT_MS = 30_000;
/** Discord and Slack both give up on a command not acknowledged within 3 s. */
export const ACK_DEADLINE_MS = 3_000;

/** Polls tasks of a few seconds promptly; the cap is high so deliveries keep up with the burst. */
export const BENCH_BOT_TUNING: CoreTuning = {
  poller: {
    schedule: {
      targetIntervalMs: 500,
      minIntervalMs: 100,
      maxIntervalMs: 2_000,
      priorDurationMs: { early: 2_500, late: 10_000 },
      minSamples: 20,
    },
    maxRequestsPerSecond: 300,
  },
  progressIntervalMs: 5_000,
};

export interface BurstShape {
  commands: number;
  users: number;
  /** Commands are spread evenly over this long; 0 sends them all at once. */
  spreadMs: number;
  taskDurationMs: number;
  /** Size of each generated image; the simulator's small default when omitted. */
  imageBytes?: number;
  /** How long to wait for the last delivery before counting what arrived. */
  deliveryTimeoutMs: number;
  /**
   * Credits each user has for the day (a 1K image costs 1); when fewer than their commands, the
   * rest must each get the quota notice. Default: enough for every command.
   */
  userDailyCredits?: number;
}

/** What a command finally showed its user. */
export type CommandAnswer = 'image' | 'failure' | 'quota' | 'unanswered';

/** The images a burst should deliver: one per command, up to each user's credits. */
export function expectedImages(shape: BurstShape): number {
  if (shape.userDailyCredits === undefined) return shape.commands;
  let images = 0;
  for (let user = 0; user < shape.users; user++) {
    const commands = Math.ceil((shape.commands - user) / shape.users);
    images += Math.min(Math.max(commands, 0), shape.userDailyCredits);
  }
  return images;
}

export interface BurstFigures {
  platform: string;
  commands: number;
  acknowledged: number;
  ackLatency: Distribution;
  delivered: number;
  /** What each command finally showed (Discord): image, failure, quota notice, or nothing. */
  answers?: Record<CommandAnswer, number>;
  /** From the first command to the last delivery (or to giving up waiting). */
  lastDeliveryMs: number;
  /** The smallest image delivered, to show the full bytes went through. */
  smallestDeliveredBytes: number;
  botIdleRssBytes: number;
  botPeakRssBytes: number;
  /** The bot's last warnings and errors, when not everything was delivered. */
  botLog?: string;
}

/** The figures of one burst, once the deliveries are in (or waiting for them gave up). */
async function burstFigures(
  platform: string,
  shape: BurstShape,
  run: {
    started: number;
    latencies: number[];
    delivered: number;
    answers?: Record<CommandAnswer, number>;
    /** Bytes of each uploaded image, to show the full size went through. */
    sizes: number[];
    idle: { rssBytes: number };
    bot: BotProcess;
  },
): Promise<BurstFigures> {
  const lastDeliveryMs = performance.now() - run.started;
  const memory = await run.bot.memory();
  return {
    platform,
    commands: shape.commands,
    acknowledged: run.latencies.length,
    ackLatency: summarize(run.latencies),
    delivered: run.delivered,
    ...(run.answers ? { answers: run.answers } : {}),
    lastDeliveryMs,
    smallestDeliveredBytes: run.sizes.length > 0 ? Math.min(...run.sizes) : 0,
    botIdleRssBytes: run.idle.rssBytes,
    botPeakRssBytes: memory.peakRssBytes,
    ...(run.delivered < expectedImages(shape) || (run.answers?.unanswered ?? 0) > 0
      ? { botLog: run.bot.log }
      : {}),
  };
}

/** Calls `fire(index)` for each command at evenly spaced moments across the spread. */
export async function paced(shape: BurstShape, fire: (index: number) => void): Promise<void> {
  const started = performance.now();
  const gapMs = shape.spreadMs / shape.commands;
  if (gapMs === 0) {
    for (let index = 0; index < shape.commands; index++) fire(index);
    return;
  }
  for (let index = 0; index < shape.commands; index++) {
    const wait = started + index * gapMs - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    fire(index);
  }
}

async function until(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

function botEnvironment(
  shape: BurstShape,
  sim: SimulatedImageApi,
  storeDirectory: string,
  platform: Record<string, string>,
): Record<string, string> {
  return {
    AIGPTIMAGE_API_KEY: 'sk-bench-burst',
    AIGPTIMAGE_BASE_URL: sim.url,
    STORE_URL: `sqlite://${join(storeDirectory, 'bot.sqlite')}`,
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    // Unless the shape says otherwise, every command generates: no user runs out of credits or slots.
    USER_DAILY_CREDITS: String(shape.userDailyCredits ?? 10_000),
    MAX_ACTIVE_PER_USER: '50',
    // The simulator here enforces no tier: the bot plans on the largest, as a big deployment would.
    API_TIER: 'enterprise',
    ...platform,
  };
}

export async function discordBurst(shape: BurstShape): Promise<BurstFigures> {
  const storeDirectory = mkdtempSync(join(tmpdir(), 'gpt-image-bot-burst-'));
  let fake: DiscordFake | undefined;
  let sim: SimulatedImageApi | undefined;
  let bot: BotProcess | undefined;
  try {
    fake = await startDiscordFake();
    sim = await startSimulatedImageApi({
      taskDurationMs: shape.taskDurationMs,
      ...(shape.imageBytes ? { imageMinBytes: shape.imageBytes } : {}),
    });
    await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
    bot = await BotProcess.start({
      env: botEnvironment(shape, sim, storeDirectory, {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
      }),
      tuning: BENCH_BOT_TUNING,
    });
    await fake.waitForBot(30_000);
    const discord = fake;
    const users = Array.from({ length: shape.users }, (_, index) =>
      discord.user(`bench-user-${index}`),
    );
    const handles: InteractionHandle[] = [];
    const idle = await bot.memory();
    const started = performance.now();
    bot.resetPeak();
    await paced(shape, (index) => {
      void discord
        .runCommand({
          name: 'imagine',
          user: users[index % users.length]!,
          options: { prompt: `burst ${index}: a paper lantern floating over a river at night` },
        })
        .then((handle) => handles.push(handle));
    });
    await until(
      () => handles.length === shape.commands && handles.every((handle) => handle.callbacks[0]),
      ACK_TIMEOUT_MS,
    );
    const latencies = handles.flatMap((handle) => {
      const callback = handle.callbacks[0];
      return callback ? [callback.at - handle.interaction.dispatchedAt] : [];
    });
    await until(
      () => handles.every((handle) => discordAnswerOf(handle) !== 'unanswered'),
      shape.deliveryTimeoutMs,
    );
    const answers: Record<CommandAnswer, number> = {
      image: 0,
      failure: 0,
      quota: 0,
      unanswered: 0,
    };
    for (const handle of handles) answers[discordAnswerOf(handle)]++;
    answers.unanswered += shape.commands - handles.length;
    const sizes = handles.flatMap((handle) => {
      const message = handle.response();
      const revision = message && current(message);
      return revision && showsImage(revision)
        ? revision.attachments.map((attachment) => attachment.bytes.length)
        : [];
    });
    return await burstFigures('Discord', shape, {
      started,
      latencies,
      delivered: answers.image,
      answers,
      sizes,
      idle,
      bot,
    });
  } finally {
    await bot?.stop();
    await fake?.close();
    await sim?.close();
    rmSync(storeDirectory, { recursive: true, force: true });
  }
}

/** Whatever the user finally sees for one command: the image, the failure, or the quota notice. */
function discordAnswerOf(handle: InteractionHandle): CommandAnswer {
  const response = handle.response();
  const shown = response && !response.deleted ? current(response) : undefined;
  if (shown && showsImage(shown)) return 'image';
  if (shown && showsFailure(shown)) return 'failure';
  const texts = [...(response ? [response] : []), ...handle.followups()].map((message) =>
    textOf(current(message)),
  );
  return texts.some((text) => text.includes('left today')) ? 'quota' : 'unanswered';
}

export async function slackBurst(shape: BurstShape): Promise<BurstFigures> {
  const storeDirectory = mkdtempSync(join(tmpdir(), 'gpt-image-bot-burst-'));
  let fake: FakeSlack | undefined;
  let sim: SimulatedImageApi | undefined;
  let bot: BotProcess | undefined;
  try {
    fake = await startFakeSlack();
    sim = await startSimulatedImageApi({
      taskDurationMs: shape.taskDurationMs,
      ...(shape.imageBytes ? { imageMinBytes: shape.imageBytes } : {}),
    });
    const userIds = Array.from(
      { length: shape.users },
      (_, index) => `U0BENCH${String(index).padStart(4, '0')}`,
    );
    for (const id of userIds) fake.workspace.addUser({ id, name: id.toLowerCase() });
    // A few channels, as a busy workspace would have; every user is in each.
    const channelIds = Array.from({ length: 10 }, (_, index) => `C0BENCH${index}`);
    for (const id of channelIds)
      fake.workspace.addChannel({ id, name: id.toLowerCase(), members: userIds });
    bot = await BotProcess.start({
      env: botEnvironment(shape, sim, storeDirectory, {
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_APP_TOKEN: FAKE_APP_TOKEN,
        SLACK_API_URL: fake.apiUrl,
      }),
      tuning: BENCH_BOT_TUNING,
    });
    await fake.socket.waitForConnection(30_000);
    const slack = fake;
    const latencies: number[] = [];
    let failures = 0;
    const idle = await bot.memory();
    const started = performance.now();
    bot.resetPeak();
    await paced(shape, (index) => {
      const sentAt = performance.now();
      slack
        .slashCommand({
          text: `burst ${index}: a paper lantern floating over a river at night`,
          userId: userIds[index % userIds.length]!,
          channelId: channelIds[index % channelIds.length]!,
        })
        .then(
          () => latencies.push(performance.now() - sentAt),
          () => failures++,
        );
    });
    await until(() => latencies.length + failures === shape.commands, ACK_TIMEOUT_MS);
    const results = () =>
      channelIds.flatMap((channel) =>
        slack.messagesIn(channel).filter((message) => message.files.length > 0),
      );
    await until(() => results().length >= shape.commands, shape.deliveryTimeoutMs);
    const sizes = results().flatMap((message) =>
      message.files.map((id) => slack.workspace.files.get(id)?.length ?? 0),
    );
    return await burstFigures('Slack (Socket Mode)', shape, {
      started,
      latencies,
      delivered: results().length,
      sizes,
      idle,
      bot,
    });
  } finally {
    await bot?.stop();
    await fake?.close();
    await sim?.close();
    rmSync(storeDirectory, { recursive: true, force: true });
  }
}
