import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.js';

const minimal = { AIGPTIMAGE_API_KEY: 'sk-abc', DISCORD_TOKEN: 'discord-token' };

function problemsOf(env: Record<string, string>, options = { requirePlatform: true }): string[] {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal, { requirePlatform: true });
    expect(config).toMatchObject({
      AIGPTIMAGE_BASE_URL: 'https://aigptimage.com',
      DISCORD_API_URL: 'https://discord.com/api',
      SLACK_API_URL: 'https://slack.com/api/',
      STORE_URL: 'sqlite://data/bot.sqlite',
      USER_DAILY_CREDITS: 20,
      CREDIT_COSTS: { '1K': 1, '2K': 2, '4K': 4 },
      MAX_ACTIVE_PER_USER: 2,
      HTTP_PORT: 3000,
      LOG_LEVEL: 'info',
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      ...minimal,
      AIGPTIMAGE_BASE_URL: 'http://127.0.0.1:8787',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      STORE_URL: 'redis://127.0.0.1:6379',
      USER_DAILY_CREDITS: '5',
      CREDIT_COSTS: '1K=2, 2K=3, 4K=8',
      MAX_ACTIVE_PER_USER: '4',
      HTTP_PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      USER_DAILY_CREDITS: 5,
      CREDIT_COSTS: { '1K': 2, '2K': 3, '4K': 8 },
      MAX_ACTIVE_PER_USER: 4,
      HTTP_PORT: 8080,
    });
  });

  it('names every bad variable at once, with how to fix it', () => {
    const problems = problemsOf({
      USER_DAILY_CREDITS: 'lots',
      CREDIT_COSTS: '1K=1,8K=9',
      STORE_URL: 'postgres://db',
      LOG_LEVEL: 'loud',
      HTTP_PORT: '99999',
      AIGPTIMAGE_BASE_URL: 'ftp://x',
    });
    const named = problems.map((problem) => problem.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'AIGPTIMAGE_API_KEY',
        'USER_DAILY_CREDITS',
        'CREDIT_COSTS',
        'STORE_URL',
        'LOG_LEVEL',
        'HTTP_PORT',
        'AIGPTIMAGE_BASE_URL',
      ]),
    );
    expect(problems.find((problem) => problem.startsWith('AIGPTIMAGE_API_KEY'))).toMatch(
      /API Keys page/,
    );
    expect(problems.find((problem) => problem.startsWith('STORE_URL'))).toMatch(
      /sqlite:\/\/PATH, redis:\/\/HOST:PORT or memory:\/\//,
    );
  });

  it('explains the whole failure in one message that points at .env.example', () => {
    expect(() => loadConfig({}, { requirePlatform: true })).toThrow(
      /Configuration is not valid \(see \.env\.example/,
    );
  });

  it('needs a chat platform to run the bot, but not for the terminal command', () => {
    expect(problemsOf({ AIGPTIMAGE_API_KEY: 'sk-abc' })).toEqual([
      'DISCORD_TOKEN or SLACK_BOT_TOKEN must be set: the bot needs at least one chat platform',
    ]);
    expect(problemsOf({ AIGPTIMAGE_API_KEY: 'sk-abc' }, { requirePlatform: false })).toEqual([]);
  });

  it('needs a signing secret for Slack HTTP mode unless an app token selects Socket Mode', () => {
    expect(problemsOf({ AIGPTIMAGE_API_KEY: 'sk-abc', SLACK_BOT_TOKEN: 'xoxb' })[0]).toMatch(
      /SLACK_SIGNING_SECRET is required/,
    );
    expect(
      problemsOf({
        AIGPTIMAGE_API_KEY: 'sk-abc',
        SLACK_BOT_TOKEN: 'xoxb',
        SLACK_APP_TOKEN: 'xapp',
      }),
    ).toEqual([]);
  });

  it('treats empty values as unset and never echoes a secret back', () => {
    expect(loadConfig({ ...minimal, HTTP_PORT: '', LOG_LEVEL: ' ' }).HTTP_PORT).toBe(3000);
    const problems = problemsOf({
      AIGPTIMAGE_API_KEY: 'sk-secret-value',
      DISCORD_TOKEN: 'tok',
      HTTP_PORT: 'x',
    });
    expect(problems.join('\n')).not.toContain('sk-secret-value');
    expect(problems[0]).toContain('(got "x")');
  });

  it('reads SHARD_COUNT and SHARD_IDS, and refuses shard ids that cannot exist', () => {
    expect(loadConfig({ ...minimal, SHARD_COUNT: '4', SHARD_IDS: '1, 3' })).toMatchObject({
      SHARD_COUNT: 4,
      SHARD_IDS: [1, 3],
    });
    const unset = loadConfig(minimal);
    expect(unset.SHARD_COUNT).toBeUndefined();
    expect(unset.SHARD_IDS).toBeUndefined();
    expect(problemsOf({ ...minimal, SHARD_IDS: '0' })).toEqual([
      'SHARD_IDS needs SHARD_COUNT: the total number of shards across every process',
    ]);
    expect(problemsOf({ ...minimal, SHARD_COUNT: '2', SHARD_IDS: '1,2,5' })).toEqual([
      'SHARD_IDS 2, 5 out of range: shards are numbered 0 to 1 when SHARD_COUNT=2',
    ]);
    expect(problemsOf({ ...minimal, SHARD_COUNT: '0' })[0]).toMatch(/^SHARD_COUNT must be greater/);
    expect(problemsOf({ ...minimal, SHARD_COUNT: '2', SHARD_IDS: 'a' })[0]).toMatch(
      /^SHARD_IDS must be comma-separated shard numbers/,
    );
    expect(problemsOf({ ...minimal, SHARD_COUNT: '2', SHARD_IDS: '1,1' })[0]).toMatch(
      /^SHARD_IDS names a shard twice/,
    );
  });

  it('checks DISCORD_PUBLIC_KEY is a hex key and that the bot token is there for REST', () => {
    const key = 'ab'.repeat(32);
    expect(loadConfig({ ...minimal, DISCORD_PUBLIC_KEY: key }).DISCORD_PUBLIC_KEY).toBe(key);
    const bad = problemsOf({ ...minimal, DISCORD_PUBLIC_KEY: 'not-hex' });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^DISCORD_PUBLIC_KEY must be the 64 hex characters/);
    expect(problemsOf({ AIGPTIMAGE_API_KEY: 'sk-abc', DISCORD_PUBLIC_KEY: key })).toEqual([
      'DISCORD_TOKEN is required when DISCORD_PUBLIC_KEY is set',
    ]);
  });
});

describe('loadConfig for `npm start`, which offers the playground', () => {
  const start = { requirePlatform: true, offerPlayground: true } as const;

  it('needs nothing at all: no platform means the playground, no key means the simulated API', () => {
    const config = loadConfig({}, start);
    expect(config.AIGPTIMAGE_API_KEY).toBeUndefined();
    expect(config.PLAYGROUND).toBeUndefined();
    expect(config.HTTP_PORT).toBe(3000);
  });

  it('still needs a key whenever a real chat platform is configured, playground or not', () => {
    const envs: Record<string, string>[] = [
      { DISCORD_TOKEN: 'tok' },
      { DISCORD_TOKEN: 'tok', PLAYGROUND: 'true' },
    ];
    for (const env of envs) {
      expect(problemsOf(env, start)).toEqual([
        'AIGPTIMAGE_API_KEY is required: create a key on the API Keys page of aigptimage.com (only the playground runs without one, on a simulated API)',
      ]);
    }
  });

  it('reads PLAYGROUND as a boolean and names a value it cannot read', () => {
    expect(loadConfig({ ...minimal, PLAYGROUND: 'true' }, start).PLAYGROUND).toBe(true);
    expect(loadConfig({ ...minimal, PLAYGROUND: '0' }, start).PLAYGROUND).toBe(false);
    expect(problemsOf({ PLAYGROUND: 'maybe' }, start)).toEqual([
      'PLAYGROUND must be true or false (got "maybe")',
    ]);
  });

  it('PLAYGROUND=false turns the fallback off, so a platform is required again', () => {
    expect(problemsOf({ AIGPTIMAGE_API_KEY: 'sk-abc', PLAYGROUND: 'false' }, start)).toEqual([
      'DISCORD_TOKEN or SLACK_BOT_TOKEN must be set when PLAYGROUND=false: the bot needs at least one chat platform',
    ]);
  });

  it('leaves the terminal command and the plain bot needing a key as before', () => {
    expect(problemsOf({}, { requirePlatform: false })).toEqual([
      'AIGPTIMAGE_API_KEY is required: create a key on the API Keys page of aigptimage.com',
    ]);
    expect(problemsOf({ DISCORD_TOKEN: 'tok' })[0]).toMatch(/^AIGPTIMAGE_API_KEY is required/);
  });
});

describe('loadDotEnv', () => {
  it('leaves no empty variable in the environment, from .env or already set, for libraries that read it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dotenv-'));
    const names = ['SHARD_COUNT', 'SHARDS', 'DISCORD_TOKEN', 'GIB_TEST_FROM_FILE'];
    const saved = names.map((name) => [name, process.env[name]] as const);
    try {
      writeFileSync(
        join(folder, '.env'),
        'SHARD_COUNT=\nDISCORD_TOKEN=\nGIB_TEST_FROM_FILE=kept\n',
      );
      // `docker run --env-file` and shells pass empty values as set-but-empty variables.
      process.env.SHARDS = '';
      delete process.env.SHARD_COUNT;
      delete process.env.DISCORD_TOKEN;
      loadDotEnv(join(folder, '.env'));
      expect('SHARD_COUNT' in process.env).toBe(false);
      expect('SHARDS' in process.env).toBe(false);
      expect('DISCORD_TOKEN' in process.env).toBe(false);
      expect(process.env.GIB_TEST_FROM_FILE).toBe('kept');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
