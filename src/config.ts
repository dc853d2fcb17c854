import { existsSync } from 'node:fs';
import { z } from 'zod';
import { API_TIERS, parseApiLimitOverrides } from './core/api/limits.js';
import { SUPPORTED_LOCALES, type Locale } from './i18n/index.js';

const RESOLUTION_NAMES = ['1K', '2K', '4K'] as const;

const optionalSecret = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInteger = (fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .positive('must be greater than 0')
    .default(fallback);

const url = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');

/** `1K=1,2K=2,4K=4`: every resolution must be priced so no generation is ever free by accident. */
const creditCosts = z
  .string()
  .default('1K=1,2K=2,4K=4')
  .transform((text, ctx) => {
    const costs: Partial<Record<(typeof RESOLUTION_NAMES)[number], number>> = {};
    for (const pair of text.split(',').map((part) => part.trim())) {
      const match = /^(1K|2K|4K)\s*=\s*(\d+)$/i.exec(pair);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `"${pair}" is not RESOLUTION=CREDITS (e.g. 2K=2)`,
        });
        return z.NEVER;
      }
      costs[match[1]!.toUpperCase() as (typeof RESOLUTION_NAMES)[number]] = Number(match[2]);
    }
    const missing = RESOLUTION_NAMES.filter((name) => costs[name] === undefined);
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', message: `no cost given for ${missing.join(', ')}` });
      return z.NEVER;
    }
    return costs as Record<(typeof RESOLUTION_NAMES)[number], number>;
  });

const storeUrl = z
  .string()
  .trim()
  .default('sqlite://data/bot.sqlite')
  .refine(
    (value) => /^(sqlite:\/\/.+|redis(s)?:\/\/.+|memory:\/\/)$/.test(value),
    'must be sqlite://PATH, redis://HOST:PORT or memory://',
  );

/** `0,1`: the gateway shards this process runs; each is checked against SHARD_COUNT in loadConfig. */
const shardIds = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const ids = text.split(',').map((part) => part.trim());
    if (ids.some((id) => !/^\d+$/.test(id))) {
      ctx.addIssue({ code: 'custom', message: 'must be comma-separated shard numbers (e.g. 0,1)' });
      return z.NEVER;
    }
    const numbers = ids.map(Number);
    if (new Set(numbers).size !== numbers.length) {
      ctx.addIssue({ code: 'custom', message: 'names a shard twice' });
      return z.NEVER;
    }
    return numbers;
  })
  .optional();

/** Discord shows the application's Ed25519 public key as 64 hex characters. */
const publicKey = optionalSecret.refine(
  (value) => value === undefined || /^[0-9a-f]{64}$/i.test(value),
  'must be the 64 hex characters of the Public Key on the General Information page',
);

/** `createTask=100/s,recordInfo=30000/min,activeTasks=400`: a key's own numbers over its tier's. */
const apiLimits = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const parsed = parseApiLimitOverrides(text);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.overrides;
  })
  .optional();

/** `cdn.example.com,*.example.net`: hosts whose private addresses image downloads may reach. */
const hostList = z
  .string()
  .trim()
  .transform((text) =>
    text
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  )
  .optional();

/**
 * PUBLIC_URL: https (or http on this machine, for tests), a path prefix allowed, no query; kept
 * without its trailing slash so links append `/sources/…` to it.
 */
const publicUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const parsed = new URL(value);
      const secure =
        parsed.protocol === 'https:' ||
        (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
      return secure && !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
    } catch {
      return false;
    }
  }, 'must be the https address where this bot is reachable (e.g. https://bot.example.com), without ? or #')
  .transform((value) => value.replace(/\/+$/, ''))
  .optional();

/**
 * `U0123ABCD,W0456EFGH`: Slack members who may use the admin commands besides the workspace's
 * admins and owners (Slack's member ids start with U, or W on Enterprise Grid).
 */
const slackUserIds = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const ids = text
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `has "${bad}", which is not a Slack member id: give ids like U0123ABCD, comma-separated (in Slack: the person's profile, ⋯, Copy member ID)`,
      });
      return z.NEVER;
    }
    return ids;
  })
  .optional();

const PORT_RANGE = 'must be a port number from 0 to 65535 (0: any free port)';

const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export const configSchema = z.object({
  // Required unless only the playground runs, which then uses the simulated API (see loadConfig).
  AIGPTIMAGE_API_KEY: optionalSecret,
  AIGPTIMAGE_BASE_URL: url('https://aigptimage.com'),
  API_TIER: z.enum(API_TIERS, { error: `must be one of ${API_TIERS.join(', ')}` }).default('basic'),
  API_LIMITS: apiLimits,
  FETCH_ALLOW_HOSTS: hostList,
  DISCORD_TOKEN: optionalSecret,
  DISCORD_API_URL: url('https://discord.com/api'),
  DISCORD_PUBLIC_KEY: publicKey,
  /** Unset: one process runs every shard (discord.js's default for a bot this size). */
  SHARD_COUNT: z.coerce
    .number()
    .int('must be a whole number')
    .positive('must be greater than 0')
    .optional(),
  SHARD_IDS: shardIds,
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_API_URL: url('https://slack.com/api/'),
  /** Unset: only workspace admins and owners use the admin commands and App Home controls. */
  SLACK_ADMIN_USERS: slackUserIds,
  STORE_URL: storeUrl,
  USER_DAILY_CREDITS: z.coerce.number().int('must be a whole number').min(0).default(20),
  /** Unset: no cap. Credits one Discord server or Slack workspace may spend per UTC day, all users together. */
  SERVER_DAILY_CREDITS: z.coerce.number().int('must be a whole number').min(0).optional(),
  /** Unset: no cap. The same per UTC calendar month. */
  SERVER_MONTHLY_CREDITS: z.coerce.number().int('must be a whole number').min(0).optional(),
  CREDIT_COSTS: creditCosts,
  MAX_ACTIVE_PER_USER: positiveInteger(2),
  /** Blocked words and `re:` expressions shared by every server, one a line; read once at start-up. */
  PROMPT_BLOCKLIST_FILE: z.string().trim().optional(),
  HTTP_PORT: z.coerce
    .number({ error: PORT_RANGE })
    .int(PORT_RANGE)
    .min(0, PORT_RANGE)
    .max(65535, PORT_RANGE)
    .default(3000),
  /** Unset: every interface when a public receiver needs it (Discord or Slack HTTP), else 127.0.0.1. */
  HTTP_HOST: z.string().trim().optional(),
  /** This bot's public address: the API fetches edit sources it keeps (Slack files, uploads) there. */
  PUBLIC_URL: publicUrl,
  /** The language of anyone whose own the platform does not say, or the bot does not speak. */
  DEFAULT_LOCALE: z
    .enum(SUPPORTED_LOCALES as [Locale, ...Locale[]], {
      error: `must be one of ${SUPPORTED_LOCALES.join(', ')}`,
    })
    .default('en'),
  LOG_LEVEL: logLevel,
  JOB_RETENTION_DAYS: z.coerce.number().positive('must be greater than 0').default(30),
  /** Unset: the playground runs only when no chat platform is configured. */
  PLAYGROUND: z.stringbool({ error: 'must be true or false' }).optional(),
  /** Required for a playground reachable beyond this machine; visitors present it once. */
  PLAYGROUND_TOKEN: optionalSecret,
});

/** What start-up may see: without an API key only the playground runs, on the simulated API. */
export type StartupConfig = z.output<typeof configSchema>;
/** A configuration with an API key: what the terminal command and the chat platforms need. */
export type Config = StartupConfig & { AIGPTIMAGE_API_KEY: string };
export type Resolution = (typeof RESOLUTION_NAMES)[number];

/** The names of every variable that holds a secret; the logger scrubs their values everywhere. */
export const SECRET_VARIABLES = [
  'AIGPTIMAGE_API_KEY',
  'DISCORD_TOKEN',
  'DISCORD_PUBLIC_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'PLAYGROUND_TOKEN',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One problem fits on one line; several get a line each, so every variable is easy to spot.
    super(
      `Configuration is not valid (see .env.example for every variable):${
        problems.length === 1
          ? ` ${problems[0]}`
          : `\n${problems.map((problem) => `  - ${problem}`).join('\n')}`
      }`,
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** The terminal command and the playground need only the API; the bot needs a chat platform. */
  requirePlatform?: boolean;
  /**
   * `npm start`: with no chat platform the playground runs instead (unless PLAYGROUND=false),
   * and with no API key too it runs on the simulated image API, so the key is optional then.
   */
  offerPlayground?: boolean;
}

const API_KEY_REQUIRED = 'is required: create a key on the API Keys page of aigptimage.com';

type Environment = Record<string, string | undefined>;

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
function withoutEmptyValues(env: Environment): Environment {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
}

export function loadConfig(
  env?: Environment,
  options?: LoadConfigOptions & { offerPlayground?: false },
): Config;
export function loadConfig(
  env: Environment,
  options: LoadConfigOptions & { offerPlayground: true },
): StartupConfig;
export function loadConfig(
  env: Environment = process.env,
  options: LoadConfigOptions = {},
): StartupConfig {
  const given = withoutEmptyValues(env);
  const parsed = configSchema.safeParse(given);
  const problems: string[] = [];
  const hasPlatform = Boolean(
    given.DISCORD_TOKEN || given.DISCORD_PUBLIC_KEY || given.SLACK_BOT_TOKEN,
  );
  // Real chat users must never get simulated images, so a configured platform always needs a key.
  if (!given.AIGPTIMAGE_API_KEY && (!options.offerPlayground || hasPlatform)) {
    problems.push(
      options.offerPlayground
        ? `AIGPTIMAGE_API_KEY ${API_KEY_REQUIRED} (only the playground runs without one, on a simulated API)`
        : `AIGPTIMAGE_API_KEY ${API_KEY_REQUIRED}`,
    );
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      const given = env[name];
      const shown =
        given === undefined || SECRET_VARIABLES.includes(name as never) ? '' : ` (got "${given}")`;
      problems.push(`${name} ${issue.message}${shown}`);
    }
  }
  const config = parsed.success ? parsed.data : undefined;
  if (config) {
    if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
      problems.push(
        'SLACK_SIGNING_SECRET is required for Slack HTTP mode; or set SLACK_APP_TOKEN to use Socket Mode',
      );
    }
    if ((config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET) && !config.SLACK_BOT_TOKEN) {
      problems.push(
        'SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set',
      );
    }
    if (config.DISCORD_PUBLIC_KEY && !config.DISCORD_TOKEN) {
      // HTTP interactions need no gateway, but results that outlive the 15-minute interaction token
      // (and Share) are posted with the bot token.
      problems.push('DISCORD_TOKEN is required when DISCORD_PUBLIC_KEY is set');
    }
    if (config.SHARD_IDS && config.SHARD_COUNT === undefined) {
      problems.push('SHARD_IDS needs SHARD_COUNT: the total number of shards across every process');
    }
    if (config.SHARD_IDS && config.SHARD_COUNT !== undefined) {
      const count = config.SHARD_COUNT;
      const outside = config.SHARD_IDS.filter((id) => id >= count);
      if (outside.length > 0) {
        problems.push(
          `SHARD_IDS ${outside.join(', ')} out of range: shards are numbered 0 to ${count - 1} when SHARD_COUNT=${count}`,
        );
      }
    }
    const playgroundProblem = options.offerPlayground && openPlaygroundWithoutToken(config);
    if (playgroundProblem) problems.push(playgroundProblem);
    const playgroundInstead = options.offerPlayground && config.PLAYGROUND !== false;
    if (options.requirePlatform && !hasPlatform && !playgroundInstead) {
      problems.push(
        options.offerPlayground
          ? 'DISCORD_TOKEN or SLACK_BOT_TOKEN must be set when PLAYGROUND=false: the bot needs at least one chat platform'
          : 'DISCORD_TOKEN or SLACK_BOT_TOKEN must be set: the bot needs at least one chat platform',
      );
    }
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

/**
 * Something outside must reach this process: Discord or Slack interactions over HTTP, or the image
 * API fetching edit sources at PUBLIC_URL.
 */
export function needsPublicReceiver(config: StartupConfig): boolean {
  return Boolean(
    config.DISCORD_PUBLIC_KEY ||
    (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN) ||
    (config.PUBLIC_URL && !isLoopbackHost(new URL(config.PUBLIC_URL).hostname)),
  );
}

/** HTTP_HOST, or its default: every interface when a public receiver needs it, else 127.0.0.1. */
export function httpListenHost(config: StartupConfig): string {
  return config.HTTP_HOST ?? (needsPublicReceiver(config) ? '0.0.0.0' : '127.0.0.1');
}

/** `localhost`, `127.x.x.x` or `::1`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(name);
}

/** Unset PLAYGROUND: the playground runs only when no chat platform is configured. */
export function playgroundRuns(config: StartupConfig): boolean {
  return config.PLAYGROUND ?? !(config.DISCORD_TOKEN || config.SLACK_BOT_TOKEN);
}

/** A playground others can reach spends the operator's credits: it needs PLAYGROUND_TOKEN. */
function openPlaygroundWithoutToken(config: StartupConfig): string | undefined {
  const host = httpListenHost(config);
  if (!playgroundRuns(config) || isLoopbackHost(host) || config.PLAYGROUND_TOKEN) return undefined;
  const where = config.HTTP_HOST
    ? `HTTP_HOST=${host}`
    : `every interface, for Discord or Slack over HTTP or PUBLIC_URL`;
  const orElse = config.HTTP_HOST
    ? 'or HTTP_HOST=127.0.0.1 to keep it on this machine'
    : 'or PLAYGROUND=false';
  return `PLAYGROUND_TOKEN is required: the playground listens beyond this machine (${where}), where anyone could spend your credits; set PLAYGROUND_TOKEN to a long random secret (e.g. from \`openssl rand -hex 32\`), ${orElse}`;
}

/**
 * Reads `.env` from the working directory when there is one, so `npm start` works the same on a
 * laptop as under Docker or systemd (where the environment is set directly and wins). Then drops
 * every empty variable from the environment: libraries read some names themselves (discord.js
 * takes SHARD_COUNT and SHARDS from it), and `SHARD_COUNT=` copied from .env.example must mean
 * "unset" to them as it does to loadConfig.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || value.trim() === '') delete process.env[name];
  }
}
