import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPngSize } from './fakes/image-api/index.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import { showsImage } from './fakes/discord/harness.js';
import { current } from './fakes/discord/index.js';
import { until } from './fakes/slack/harness.js';
import {
  FAKE_APP_TOKEN,
  FAKE_BOT_TOKEN,
  startFakeSlack,
  type FakeSlack,
} from './fakes/slack/server.js';
import { bareEnvironment, ProcessUnderTest, ROOT } from './helpers/bot-process.js';

/**
 * A newcomer's first run: `cp .env.example .env`, fill in only what the docs call the minimum, and
 * `npm start` (tsx src/main.ts from the folder holding .env). The fakes stand in for the services;
 * their URLs go through the documented variables, and HTTP_PORT=0 because 3000 may be taken.
 */
const API_KEY = 'sk-first-run-key';
const SIGNING_SECRET = 'first-run-signing-secret';

let folder: string | undefined;
let bot: ProcessUnderTest | undefined;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  for (const close of closers.splice(0)) await close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/** .env.example with the given lines filled in and every other line exactly as shipped. */
export function envFromExample(values: Record<string, string>): string {
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
  const filled = new Set<string>();
  const text = example.replace(/^([A-Z][A-Z0-9_]*)=.*$/gm, (line, name: string) => {
    if (!(name in values)) return line;
    filled.add(name);
    return `${name}=${values[name]}`;
  });
  const missing = Object.keys(values).filter((name) => !filled.has(name));
  if (missing.length > 0) throw new Error(`.env.example has no line for ${missing.join(', ')}`);
  return text;
}

async function imageApi(): Promise<ImageApiSimulator> {
  const sim = await startImageApiSimulator({ taskDurationMs: 200 });
  closers.push(() => sim.close());
  return sim;
}

/** A fresh folder holding .env: .env.example filled with `values`. */
function writeEnvFile(values: Record<string, string>): void {
  folder = mkdtempSync(join(tmpdir(), 'first-run-'));
  writeFileSync(join(folder, '.env'), envFromExample({ ...values, HTTP_PORT: '0' }));
}

/** `npm start` in that folder; resolves with the HTTP port once it says it is running. */
async function start(): Promise<number> {
  bot = ProcessUnderTest.tsx('src/main.ts', [], { cwd: folder!, env: bareEnvironment() });
  const running = await bot.waitForLog('gpt-image-bot is running');
  return running.httpPort as number;
}

/** The default store of .env.example, sqlite://data/bot.sqlite, was created beside .env. */
function expectStoreBesideEnv(): void {
  expect(existsSync(join(folder!, 'data', 'bot.sqlite'))).toBe(true);
}

async function discordWithCommands(): Promise<DiscordFake> {
  const fake = await startDiscordFake();
  closers.push(() => fake.close());
  return fake;
}

/** `npm run deploy-commands` from the same folder: it needs only the Discord lines of .env. */
async function deployCommands(): Promise<void> {
  const deploy = ProcessUnderTest.tsx('commands/deploy-discord.ts', [], {
    cwd: folder!,
    env: bareEnvironment(),
  });
  expect(await deploy.exited, deploy.output).toBe(0);
  expect(deploy.stdout).toContain('Registered /imagine');
}

async function expectDiscordImage(fake: DiscordFake): Promise<void> {
  const reply = await fake.runCommand({
    name: 'imagine',
    user: fake.user('newcomer'),
    options: { prompt: 'a red fox in the snow', resolution: '2K' },
  });
  const message = await reply.waitForResponse(showsImage, 'the image', 60_000);
  const [file] = current(message).attachments;
  expect(readPngSize(file!.bytes)).not.toBeNull();
}

function applicationKeyPair(): { privateKey: KeyObject; publicKeyHex: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, publicKeyHex: raw.toString('hex') };
}

const GENERAL = 'C0GENERAL';
const NEWCOMER = 'U0NEWCOMER';

async function slackWorkspace(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  closers.push(() => fake.close());
  fake.workspace.addUser({ id: NEWCOMER, name: 'newcomer' });
  fake.workspace.addChannel({ id: GENERAL, name: 'general', members: [NEWCOMER] });
  return fake;
}

async function expectSlackImage(fake: FakeSlack): Promise<void> {
  await fake.slashCommand({ text: 'a red fox in the snow', userId: NEWCOMER, channelId: GENERAL });
  const result = await until(
    () => fake.messagesIn(GENERAL).find((message) => message.files.length > 0),
    'the image in #general',
    60_000,
  );
  expect(readPngSize(fake.fileBytes(result.files[0]!)!)).not.toBeNull();
}

describe(
  'first run: .env.example copied, the minimum filled in, npm start, an image delivered',
  {
    timeout: 180_000,
  },
  () => {
    it('Discord over the gateway (AIGPTIMAGE_API_KEY and DISCORD_TOKEN)', async () => {
      const sim = await imageApi();
      const fake = await discordWithCommands();
      writeEnvFile({
        AIGPTIMAGE_API_KEY: API_KEY,
        AIGPTIMAGE_BASE_URL: sim.url,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
      });
      // docs/discord.md registers the commands, then starts; independent, so both at once here.
      await Promise.all([deployCommands(), start()]);
      await expectDiscordImage(fake);
      expectStoreBesideEnv();
      expect(bot!.output).not.toContain(fake.token);
    });

    it('Discord HTTP interactions (and DISCORD_PUBLIC_KEY)', async () => {
      const sim = await imageApi();
      const fake = await discordWithCommands();
      const keys = applicationKeyPair();
      writeEnvFile({
        AIGPTIMAGE_API_KEY: API_KEY,
        AIGPTIMAGE_BASE_URL: sim.url,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      });
      const [, port] = await Promise.all([deployCommands(), start()]);
      fake.interactionsEndpoint = {
        url: `http://127.0.0.1:${port}/discord/interactions`,
        privateKey: keys.privateKey,
      };
      await expectDiscordImage(fake);
      expectStoreBesideEnv();
    });

    it('Slack in Socket Mode (SLACK_BOT_TOKEN and SLACK_APP_TOKEN)', async () => {
      const sim = await imageApi();
      const fake = await slackWorkspace();
      writeEnvFile({
        AIGPTIMAGE_API_KEY: API_KEY,
        AIGPTIMAGE_BASE_URL: sim.url,
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_APP_TOKEN: FAKE_APP_TOKEN,
        SLACK_API_URL: fake.apiUrl,
      });
      await start();
      await fake.socket.waitForConnection();
      await expectSlackImage(fake);
      expectStoreBesideEnv();
    });

    it('Slack over HTTP (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)', async () => {
      const sim = await imageApi();
      const fake = await slackWorkspace();
      writeEnvFile({
        AIGPTIMAGE_API_KEY: API_KEY,
        AIGPTIMAGE_BASE_URL: sim.url,
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
      });
      const port = await start();
      fake.useHttp({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
      await expectSlackImage(fake);
      expectStoreBesideEnv();
      expect(bot!.output).not.toMatch(new RegExp(`${SIGNING_SECRET}|${FAKE_BOT_TOKEN}|${API_KEY}`));
    });
  },
);
