import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import {
  FAKE_APP_TOKEN,
  FAKE_BOT_TOKEN,
  startFakeSlack,
  type FakeSlack,
} from './fakes/slack/server.js';
import { bareEnvironment, closedPort, ProcessUnderTest } from './helpers/bot-process.js';

const API_KEY = 'sk-startup-failure-secret';
let folder: string;
let discord: DiscordFake;
let slack: FakeSlack;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'startup-failure-'));
  discord = await startDiscordFake();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await discord.close();
  await slack.close();
  rmSync(folder, { recursive: true, force: true });
});

/**
 * `npm start` with this environment, in a folder of its own, to its exit. The operator must get
 * one line on stderr naming the cause and the fix, a non-zero exit, no stack trace and no secret.
 */
async function startFails(env: Record<string, string>, secrets: string[] = []): Promise<string> {
  const bot = ProcessUnderTest.tsx('src/main.ts', [], {
    cwd: folder,
    env: bareEnvironment({ AIGPTIMAGE_API_KEY: API_KEY, STORE_URL: 'memory://', ...env }),
  });
  const code = await bot.exited;
  expect(code, bot.output).toBe(1);
  expect(bot.stderr.trimEnd().split('\n'), bot.output).toHaveLength(1);
  expect(bot.output).not.toMatch(/^\s+at /m);
  for (const secret of [API_KEY, ...secrets]) expect(bot.output).not.toContain(secret);
  return bot.stderr.trim();
}

describe('start-up failures: one line with the cause and the fix', { timeout: 180_000 }, () => {
  it('port in use', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      // No platform: the playground, as on a first `npm start` while another copy still runs.
      const line = await startFails({ HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
      expect(line).toBe(
        `gpt-image-bot could not start: port ${port} is already in use (EADDRINUSE): stop the program using it, or set HTTP_PORT to a free port.`,
      );
    } finally {
      holder.close();
    }
  });

  it('Discord unreachable, and Discord rejecting the token', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api`;
    const unreachable = await startFails(
      { DISCORD_TOKEN: 'discord-secret-token', DISCORD_API_URL: url, HTTP_PORT: '0' },
      ['discord-secret-token'],
    );
    expect(unreachable).toContain(`cannot reach Discord at ${url} (ECONNREFUSED)`);
    expect(unreachable).toContain('DISCORD_API_URL');

    const rejected = await startFails(
      { DISCORD_TOKEN: 'not-the-bot-token', DISCORD_API_URL: discord.apiUrl, HTTP_PORT: '0' },
      ['not-the-bot-token'],
    );
    expect(rejected).toContain('Discord rejected DISCORD_TOKEN (401 Unauthorized)');
    expect(rejected).toContain('Developer Portal');

    // Interactions over HTTP open no gateway, so the token is checked with one REST call instead.
    const rejectedOverHttp = await startFails(
      {
        DISCORD_TOKEN: 'not-the-bot-token',
        DISCORD_PUBLIC_KEY: 'a'.repeat(64),
        DISCORD_API_URL: discord.apiUrl,
        HTTP_PORT: '0',
      },
      ['not-the-bot-token'],
    );
    expect(rejectedOverHttp).toContain('Discord rejected DISCORD_TOKEN (401 Unauthorized)');
  });

  it('Slack unreachable, and Slack rejecting the bot token or the app token', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    const socketMode = { SLACK_APP_TOKEN: FAKE_APP_TOKEN, HTTP_PORT: '0' };
    const unreachable = await startFails({
      ...socketMode,
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_API_URL: url,
    });
    expect(unreachable).toContain(`cannot reach Slack at ${url} (ECONNREFUSED)`);

    const badBot = await startFails(
      { ...socketMode, SLACK_BOT_TOKEN: 'xoxb-revoked-secret', SLACK_API_URL: slack.apiUrl },
      ['xoxb-revoked-secret'],
    );
    expect(badBot).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
    expect(badBot).toContain('OAuth & Permissions');

    const badApp = await startFails(
      {
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_APP_TOKEN: 'xapp-wrong-secret',
        SLACK_API_URL: slack.apiUrl,
        HTTP_PORT: '0',
      },
      ['xapp-wrong-secret', FAKE_BOT_TOKEN],
    );
    expect(badApp).toContain('Slack rejected SLACK_APP_TOKEN (invalid_auth)');
    expect(badApp).toContain('connections:write');
  });

  it('Redis unreachable', async () => {
    const port = await closedPort();
    const line = await startFails(
      { STORE_URL: `redis://:redis-secret@127.0.0.1:${port}`, HTTP_PORT: '0' },
      ['redis-secret'],
    );
    expect(line).toBe(
      `gpt-image-bot could not start: Redis at 127.0.0.1:${port} is not answering (ECONNREFUSED): start Redis there, or point STORE_URL at a running one (redis://HOST:PORT), or use the default sqlite:// store for a single process.`,
    );
  });

  it('SQLite store path not writable', async () => {
    // A file where the store's folder should be: unwritable even for root, which runs the tests.
    const blocker = join(folder, 'not-a-folder');
    writeFileSync(blocker, '');
    const line = await startFails({ STORE_URL: `sqlite://${blocker}/bot.sqlite`, HTTP_PORT: '0' });
    expect(line).toContain(`cannot write the SQLite store ${blocker}/bot.sqlite`);
    expect(line).toContain('STORE_URL');
  });

  it('bad variables', async () => {
    const line = await startFails({ HTTP_PORT: 'eighty', DISCORD_TOKEN: 'x' });
    expect(line).toBe(
      'Configuration is not valid (see .env.example for every variable): HTTP_PORT must be a port number from 0 to 65535 (0: any free port) (got "eighty")',
    );
  });
});
