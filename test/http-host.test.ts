import { afterEach, describe, expect, it } from 'vitest';
import { httpListenHost, loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startBot, type RunningBot } from '../src/main.js';
import {
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
  type LogLine,
  closeTestBed,
} from './fakes/discord/harness.js';
import { startSlackHarness, type SlackHarness } from './fakes/slack/harness.js';

const LOOPBACK = '127.0.0.1';
const EVERY_INTERFACE = '0.0.0.0';

let closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function discord(options: Parameters<typeof startDiscordTestBed>[0]) {
  const bed: DiscordTestBed = await startDiscordTestBed(options);
  closers.push(() => closeTestBed(bed));
  return bed;
}

async function slack(mode: 'socket' | 'http') {
  const harness: SlackHarness = await startSlackHarness({ mode });
  closers.push(() => harness.close());
  return harness;
}

/** The address the start-up line tells the operator, as the log reader sees it. */
function announcedHost(lines: LogLine[]): unknown {
  return lines.find((line) => line.msg === 'gpt-image-bot is running')?.httpHost;
}

describe('HTTP_HOST: where /healthz, /metrics and the receivers listen', () => {
  it('the default follows the configuration: every interface only for a public receiver', () => {
    const base = { AIGPTIMAGE_API_KEY: 'sk-host-test', HTTP_PORT: '0' };
    const hostFor = (env: Record<string, string>) =>
      httpListenHost(loadConfig({ ...base, ...env }, { offerPlayground: true }));
    const discordKey = 'a'.repeat(64);
    expect(hostFor({})).toBe(LOOPBACK); // the playground alone
    expect(hostFor({ DISCORD_TOKEN: 'discord-token' })).toBe(LOOPBACK); // gateway
    expect(hostFor({ DISCORD_TOKEN: 'discord-token', DISCORD_PUBLIC_KEY: discordKey })).toBe(
      EVERY_INTERFACE,
    );
    expect(hostFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toBe(LOOPBACK);
    expect(hostFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' })).toBe(
      EVERY_INTERFACE,
    );
    expect(
      hostFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', HTTP_HOST: '10.0.0.5' }),
    ).toBe('10.0.0.5');
  });

  it('the playground alone, on the simulated API, is bound to loopback', async () => {
    const config = loadConfig(
      { HTTP_PORT: '0', STORE_URL: 'memory://' },
      { requirePlatform: true, offerPlayground: true },
    );
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(line) },
    });
    const bot: RunningBot = await startBot(config, logger, { simulatedTaskMs: 100 });
    closers.push(() => bot.stop());
    expect(bot.httpHost).toBe(LOOPBACK);
    const started = lines.map((line) => JSON.parse(line) as LogLine);
    expect(announcedHost(started)).toBe(LOOPBACK);
  });

  it('Discord over the gateway: loopback; over HTTP interactions: every interface', async () => {
    const gateway = await discord({});
    expect(gateway.bot.httpHost).toBe(LOOPBACK);
    expect(announcedHost(gateway.logs)).toBe(LOOPBACK);
    const http = await discord({ httpInteractions: true });
    expect(http.bot.httpHost).toBe(EVERY_INTERFACE);
    expect(announcedHost(http.logs)).toBe(EVERY_INTERFACE);
  });

  it('HTTP_HOST wins over the default: Discord HTTP interactions behind a proxy on this machine', async () => {
    const bed = await discord({ httpInteractions: true, env: { HTTP_HOST: LOOPBACK } });
    expect(bed.bot.httpHost).toBe(LOOPBACK);
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'through the proxy' },
    });
    await reply.waitForResponse(showsImage, 'the result');
  });

  it('Slack Socket Mode: loopback; Slack HTTP mode: every interface', async () => {
    const socket = await slack('socket');
    expect(socket.bot.httpHost).toBe(LOOPBACK);
    const http = await slack('http');
    expect(http.bot.httpHost).toBe(EVERY_INTERFACE);
    const started = http.logs.map((line) => JSON.parse(line) as LogLine);
    expect(announcedHost(started)).toBe(EVERY_INTERFACE);
  });
});
