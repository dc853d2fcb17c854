import { afterEach, expect } from 'vitest';
import { loadConfig, SECRET_VARIABLES } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startBot, type CoreTuning, type RunningBot } from '../../../src/main.js';
import { FAST_SCHEDULE } from '../../helpers/core.js';
import { startImageApiSimulator, type ImageApiSimulator } from '../image-api/index.js';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from './server.js';

export const SIGNING_SECRET = 'fake-signing-secret-0123456789';

/** Simulated tasks take a fraction of a second, so the core polls fast and retries deliveries quickly. */
export const SLACK_TEST_TUNING: CoreTuning = {
  poller: {
    schedule: FAST_SCHEDULE,
    maxRequestsPerSecond: 500,
    deadlineMs: 20_000,
    errorBackoff: { baseMs: 20, capMs: 200 },
  },
  progressIntervalMs: 0,
  deliveryRetry: { maxAttempts: 4, baseMs: 50, capMs: 1_500 },
};

export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const ADMIN = 'U0ADMIN';
export const GENERAL = 'C0GENERAL';
export const RANDOM = 'C0RANDOM';
export const SECRET = 'G0SECRET';
export const ART = 'C0ART';

export interface SlackHarnessOptions {
  mode: 'socket' | 'http';
  storeUrl?: string;
  dailyCredits?: number;
  taskDurationMs?: number;
  /** Reuse the fakes of an earlier harness (restart tests). */
  fake?: FakeSlack;
  sim?: ImageApiSimulator;
  /** Extra environment for loadConfig, e.g. FETCH_ALLOW_HOSTS. */
  env?: Record<string, string>;
  /** Over SLACK_TEST_TUNING, e.g. shorter download limits. */
  tuning?: CoreTuning;
}

export interface SlackHarness {
  fake: FakeSlack;
  sim: ImageApiSimulator;
  bot: RunningBot;
  /** Every log line the bot wrote, to check that no secret ever appears. */
  logs: string[];
  /** Secrets that reached the log: the bot and app tokens, the signing secret, the API key. */
  leakedSecrets(): string[];
  /** Stops the bot only. */
  stopBot(): Promise<void>;
  /** Stops the bot and both fakes. */
  close(): Promise<void>;
}

/**
 * The whole bot (startBot, the real Bolt app) against the fake Slack and the simulated image API,
 * with a workspace of two people, an admin, public channels (one without the bot) and a private one.
 */
export async function startSlackHarness(options: SlackHarnessOptions): Promise<SlackHarness> {
  const sim =
    options.sim ??
    (await startImageApiSimulator({ taskDurationMs: options.taskDurationMs ?? 200 }));
  const fake = options.fake ?? (await startFakeSlack());
  if (!options.fake) {
    const ws = fake.workspace;
    ws.addUser({ id: ALICE, name: 'alice' });
    ws.addUser({ id: BOB, name: 'bob' });
    ws.addUser({ id: ADMIN, name: 'admin', isAdmin: true });
    const everyone = [ALICE, BOB, ADMIN];
    ws.addChannel({ id: GENERAL, name: 'general', members: everyone });
    ws.addChannel({ id: RANDOM, name: 'random', members: everyone, botIsMember: false });
    ws.addChannel({ id: ART, name: 'art', members: everyone });
    ws.addChannel({
      id: SECRET,
      name: 'secret',
      kind: 'private',
      members: everyone,
      botIsMember: false,
    });
  }
  const env: Record<string, string> = {
    AIGPTIMAGE_API_KEY: 'sk-test-slack',
    AIGPTIMAGE_BASE_URL: sim.url,
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: options.storeUrl ?? 'memory://',
    HTTP_PORT: '0',
    USER_DAILY_CREDITS: String(options.dailyCredits ?? 50),
    MAX_ACTIVE_PER_USER: '5',
    // The simulator enforces no tier unless a test asks; the bot plans on the largest one.
    API_TIER: 'enterprise',
    ...options.env,
  };
  if (options.mode === 'socket') env.SLACK_APP_TOKEN = FAKE_APP_TOKEN;
  else env.SLACK_SIGNING_SECRET = SIGNING_SECRET;
  const config = loadConfig(env, { requirePlatform: true });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
    secrets: SECRET_VARIABLES.map((name) => config[name]),
  });
  const bot = await startBot(config, logger, { ...SLACK_TEST_TUNING, ...options.tuning });
  if (options.mode === 'http')
    fake.useHttp({
      url: `http://127.0.0.1:${bot.httpPort}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
  else await fake.socket.waitForConnection();

  let botStopped = false;
  const stopBot = async () => {
    if (botStopped) return;
    botStopped = true;
    await bot.stop();
  };
  const secrets = SECRET_VARIABLES.map((name) => config[name]).filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
  return {
    fake,
    sim,
    bot,
    logs,
    leakedSecrets: () => secrets.filter((secret) => logs.join('\n').includes(secret)),
    stopBot,
    async close() {
      await stopBot();
      await fake.close();
      await sim.close();
    },
  };
}

/** Polls until the probe returns something, for state that changes in the background. */
export async function until<T>(
  probe: () => T | undefined | null | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/**
 * Call at the top of a test file: each test starts its own harness with `start`, and it is closed
 * after the test, which also checks that the bot acknowledged every envelope inside Slack's 3 s and
 * that no secret reached a log line. A file's own afterEach, registered later, runs before this one.
 */
export function harnessPerTest(): { start(options: SlackHarnessOptions): Promise<SlackHarness> } {
  let running: SlackHarness | undefined;
  afterEach(async () => {
    const harness = running;
    running = undefined;
    if (!harness) return;
    await harness.close();
    expect(harness.fake.socket.unacked).toEqual([]);
    expect(harness.leakedSecrets()).toEqual([]);
  });
  return {
    async start(options) {
      running = await startSlackHarness(options);
      return running;
    },
  };
}

/** Everything a message says, its text and its blocks, for matching. */
export function messageText(message: { text?: string; blocks?: unknown[] } | undefined): string {
  return `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
}

/** The bot's DM with a person, as the fake names it. */
export function dmOf(user: string): string {
  return `D${user.slice(1)}`;
}

/** Types `/imagine <typed>` as that person and returns the first private answer they get. */
export async function privateAnswer(
  harness: SlackHarness,
  user: string,
  typed: string,
  channel: string,
): Promise<string> {
  const answers = () => harness.fake.ephemeralsFor(user);
  const before = answers().length;
  await harness.fake.slashCommand({ text: typed, userId: user, channelId: channel });
  return messageText(await until(() => answers()[before], `the answer to "${typed}"`));
}
