import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, expect } from 'vitest';
import { deployDiscordCommands } from '../../../commands/deploy-discord.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startBot, type CoreTuning, type RunningBot } from '../../../src/main.js';
import { BOT_TEST_TUNING, TEST_KEY } from '../../helpers/core.js';
import {
  encodePng,
  readPngSize,
  simulatedImageSize,
  startImageApiSimulator,
  type ImageApiSimulator,
  type RecordedRequest,
  type SimulatorOptions,
} from '../image-api/index.js';
import type { DiscordFake } from './server.js';
import { current, MessageFlag, type FakeMessage, type MessageRevision } from './state.js';
import { textOf, type InteractionHandle } from './handle.js';
import type { FakeUpload, FakeUser } from './commands.js';
import { startDiscordFake, type DiscordFakeOptions } from './index.js';

/** Polls fast and retries deliveries quickly, because simulated tasks take a fraction of a second. */
export const DISCORD_TEST_TUNING: CoreTuning = BOT_TEST_TUNING;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface DiscordTestBed {
  fake: DiscordFake;
  sim: ImageApiSimulator;
  bot: RunningBot;
  /** Every log line, parsed, across restarts. */
  logs: LogLine[];
  /** Every raw log line, to prove secrets never reach the log. */
  rawLogs: string[];
  /** Secrets that reached the log: the bot token, the API key, or any interaction token. */
  leakedSecrets(): string[];
  /** With `httpInteractions`: the DISCORD_PUBLIC_KEY the bot was given, for more replicas. */
  discordPublicKey?: string;
  /** Stops the bot (as SIGTERM would) and starts a new one on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestBedOptions {
  fake?: DiscordFakeOptions;
  sim?: SimulatorOptions;
  /** Extra environment for loadConfig, e.g. USER_DAILY_CREDITS. */
  env?: Record<string, string>;
  /** Default memory://; restart tests pass a sqlite file so jobs survive the restart. */
  storeUrl?: string;
  /**
   * Discord HTTP interactions: the bot gets DISCORD_PUBLIC_KEY of a fresh Ed25519 key pair and the
   * fake POSTs every interaction, signed, to its `/discord/interactions` instead of the gateway.
   */
  httpInteractions?: boolean;
  /** Over DISCORD_TEST_TUNING, e.g. shorter download limits. */
  tuning?: CoreTuning;
}

/** A fresh application signing key: the private half for the fake, the public hex for the bot. */
function applicationKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The last 32 bytes of the SPKI DER are the raw key, which Discord shows as hex.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, publicKeyHex: raw.toString('hex') };
}

/**
 * The real bot (startBot, discord.js and all) wired to the Discord fake and the image API
 * simulator over loopback, with the commands deployed by the real deploy script.
 */
export async function startDiscordTestBed(options: TestBedOptions = {}): Promise<DiscordTestBed> {
  const fake = await startDiscordFake(options.fake);
  const sim = await startImageApiSimulator({ taskDurationMs: 150, ...options.sim });
  await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      rawLogs.push(text);
      for (const line of text.split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const keys = options.httpInteractions ? applicationKeyPair() : undefined;
  const config = loadConfig({
    ...(keys ? { DISCORD_PUBLIC_KEY: keys.publicKeyHex } : {}),
    AIGPTIMAGE_API_KEY: TEST_KEY,
    AIGPTIMAGE_BASE_URL: sim.url,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    STORE_URL: options.storeUrl ?? 'memory://',
    HTTP_PORT: '0',
    LOG_LEVEL: 'debug',
    // The simulator enforces no tier unless a test asks; the bot plans on the largest one.
    API_TIER: 'enterprise',
    // Discord's CDN is public; the fake's is on loopback, which the operator vouches for here.
    FETCH_ALLOW_HOSTS: new URL(fake.apiUrl).host,
    ...options.env,
  });
  const logger = createLogger({
    level: 'debug',
    destination,
    pretty: false,
    secrets: [TEST_KEY, fake.token],
  });
  const start = async (): Promise<RunningBot> => {
    const bot = await startBot(config, logger, { ...DISCORD_TEST_TUNING, ...options.tuning });
    if (keys) {
      fake.interactionsEndpoint = {
        url: `http://127.0.0.1:${bot.httpPort}/discord/interactions`,
        privateKey: keys.privateKey,
      };
    }
    return bot;
  };
  const bed: DiscordTestBed = {
    fake,
    sim,
    ...(keys ? { discordPublicKey: keys.publicKeyHex } : {}),
    bot: await start(),
    logs,
    rawLogs,
    leakedSecrets() {
      const text = rawLogs.join('');
      const tokens = [...fake.interactions.values()].map((interaction) => interaction.token);
      return [fake.token, TEST_KEY, ...tokens].filter((secret) => text.includes(secret));
    },
    async restart() {
      await bed.bot.stop();
      bed.bot = await start();
    },
    async close() {
      await bed.bot.stop();
      await fake.close();
      await sim.close();
    },
  };
  return bed;
}

/** Closes a test bed, having checked first that, whatever the test did, no secret reached its log. */
export async function closeTestBed(bed: DiscordTestBed | undefined): Promise<void> {
  if (!bed) return;
  try {
    expect(bed.leakedSecrets()).toEqual([]);
  } finally {
    await bed.close();
  }
}

/**
 * Call at the top of a test file: each test starts its test beds with `start`, and they are closed
 * after it by closeTestBed. A file's own afterEach, registered later, runs before this one.
 */
export function testBedPerTest(): { start(options?: TestBedOptions): Promise<DiscordTestBed> } {
  let running: DiscordTestBed[] = [];
  afterEach(async () => {
    const beds = running;
    running = [];
    const closed = await Promise.allSettled(beds.map((bed) => closeTestBed(bed)));
    const failure = closed.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  });
  return {
    async start(options) {
      const bed = await startDiscordTestBed(options);
      running.push(bed);
      return bed;
    },
  };
}

export interface ExtraBot {
  bot: RunningBot;
  /** This bot's own log lines, parsed: which instance handled what. */
  logs: LogLine[];
  stop(): Promise<void>;
}

/**
 * Another bot process on the same fake and simulator (its own store, unless `storeUrl` names a
 * shared one): a second replica or the other half of a sharded deployment.
 */
export async function startExtraBot(
  bed: Pick<DiscordTestBed, 'fake' | 'sim'>,
  options: Pick<TestBedOptions, 'env' | 'storeUrl'> = {},
): Promise<ExtraBot> {
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const config = loadConfig({
    AIGPTIMAGE_API_KEY: TEST_KEY,
    AIGPTIMAGE_BASE_URL: bed.sim.url,
    DISCORD_TOKEN: bed.fake.token,
    DISCORD_API_URL: bed.fake.apiUrl,
    STORE_URL: options.storeUrl ?? 'memory://',
    HTTP_PORT: '0',
    LOG_LEVEL: 'debug',
    // The simulator enforces no tier unless a test asks; the bot plans on the largest one.
    API_TIER: 'enterprise',
    ...options.env,
  });
  const logger = createLogger({
    level: 'debug',
    destination,
    pretty: false,
    secrets: [TEST_KEY, bed.fake.token],
  });
  const bot = await startBot(config, logger, DISCORD_TEST_TUNING);
  return { bot, logs, stop: () => bot.stop() };
}

/** The revision is still Discord's "thinking…": the bot deferred and has not answered yet. */
export const isLoading = (revision: MessageRevision): boolean =>
  (revision.flags & MessageFlag.Loading) !== 0;

/** The revision shows a finished image (uploaded or linked). */
export const showsImage = (revision: MessageRevision): boolean =>
  revision.embeds.some((embed) => embed.image !== undefined);

/** The revision shows a failed generation. */
export const showsFailure = (revision: MessageRevision): boolean =>
  revision.embeds.some((embed) => embed.color === FAILURE_RED && typeof embed.title === 'string');

/** The failure card's colour (Discord's red), whatever language its title is in. */
const FAILURE_RED = 0xed4245;

/** The custom_ids of every button and select on the revision, in order. */
export function componentIds(revision: MessageRevision): string[] {
  return revision.components.flatMap((row) =>
    ((row.components as Array<{ custom_id?: string }> | undefined) ?? []).map(
      (component) => component.custom_id ?? '',
    ),
  );
}

/** The first embed's image URL, e.g. `attachment://x.png` or the API's own URL. */
export function imageUrlOf(revision: MessageRevision): string | undefined {
  const image = revision.embeds.find((embed) => embed.image)?.image as { url?: string } | undefined;
  return image?.url;
}

export function createTaskCalls(sim: ImageApiSimulator): RecordedRequest[] {
  return sim.requests.filter((request) => request.endpoint === 'createTask');
}

/**
 * The finished result of `/imagine prompt:a red fox in the snow aspect_ratio:16:9 resolution:2K`
 * as the requester sees it, however the interaction arrived: one uploaded PNG of that size shown
 * in the embed by attachment:// name, the prompt, options, requester and time, and the buttons.
 */
export async function expectFoxResult(
  reply: InteractionHandle,
  requester: FakeUser,
): Promise<FakeMessage> {
  const message = await reply.waitForResponse(showsImage, 'the result');
  const result = current(message);
  expect(result.attachments).toHaveLength(1);
  const [file] = result.attachments;
  expect(file!.contentType).toBe('image/png');
  expect(readPngSize(file!.bytes)).toEqual(simulatedImageSize('16:9', '2K'));
  expect(imageUrlOf(result)).toBe(`attachment://${file!.filename}`);
  const text = textOf(result);
  expect(text).toContain('a red fox in the snow');
  expect(text).toContain('16:9 · 2K');
  expect(text).toContain(`<@${requester.id}>`);
  expect(text).toMatch(/Time taken\n\d+ s/);
  expect(componentIds(result)).toEqual([
    `reroll:${reply.id}`,
    `edit:${reply.id}`,
    `vary:${reply.id}`,
    `upscale:${reply.id}`,
    `share:${reply.id}`,
    `delete:${reply.id}`,
  ]);
  return message;
}

/**
 * The fox command reached the image API exactly once, keyed by the interaction id, only after the
 * deferral (acknowledged before any slow work), and no secret reached the log.
 */
export function expectOneFoxTask(
  bed: DiscordTestBed,
  reply: InteractionHandle,
  callback: { at: number },
): void {
  const creates = createTaskCalls(bed.sim);
  expect(creates).toHaveLength(1);
  expect(creates[0]!.requestId).toBe(reply.id);
  expect(callback.at).toBeLessThanOrEqual(creates[0]!.at);
  expect(creates[0]!.body).toMatchObject({
    input: { prompt: 'a red fox in the snow', aspect_ratio: '16:9', resolution: '2K' },
  });
  expect(bed.rawLogs.join('')).not.toContain(bed.fake.token);
}

/** A small PNG a person attaches; `shade` makes each file's pixels (and bytes) its own. */
export function pngUpload(filename: string, shade: number): FakeUpload {
  return {
    filename,
    contentType: 'image/png',
    bytes: encodePng(36, 24, (x, y) => [shade, x * 7, y * 9]),
  };
}

/** The credits a Discord user has spent today. */
export async function creditsUsed(bed: DiscordTestBed, user: FakeUser): Promise<number> {
  return (await bed.bot.service.status(`discord:${user.id}`)).used;
}
