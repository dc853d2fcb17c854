import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { StartupConfig } from './config.js';
import { sqlitePathFromUrl, storeKindOf } from './storage/store-url.js';

/** The parts of start-up that meet the outside world, each with its own likely causes. */
export type StartupStage = 'store' | 'http' | 'discord' | 'slack';

/** A start-up step that failed, tagged with the step so the operator is told what to fix. */
export class StartupFailure extends Error {
  constructor(
    readonly stage: StartupStage,
    override readonly cause: unknown,
  ) {
    super(`${stage}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StartupFailure';
  }
}

/** Runs one start-up step; a failure comes out as a StartupFailure naming the step. */
export async function startupStep<T>(stage: StartupStage, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof StartupFailure ? error : new StartupFailure(stage, error);
  }
}

/** How long Redis may take to answer at start-up before the bot gives up and says so. */
const REDIS_ANSWER_MS = 10_000;

/**
 * Redis clients retry a refused connection forever, so start-up would hang in silence: a plain TCP
 * connection first turns "nothing listens there" into an immediate ECONNREFUSED or ENOTFOUND.
 */
export async function checkRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolveReached, reject) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    socket.setTimeout(REDIS_ANSWER_MS, () => socket.destroy(timeoutError('ETIMEDOUT')));
    socket.once('connect', () => {
      socket.end();
      resolveReached();
    });
    socket.once('error', reject);
  });
}

/** Rejects with ETIMEDOUT when the work takes longer than Redis is given to answer. */
export function withinRedisTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError('ETIMEDOUT')), REDIS_ANSWER_MS);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function timeoutError(code: string): Error {
  return Object.assign(new Error(`no answer within ${REDIS_ANSWER_MS / 1000} s`), { code });
}

interface ErrorFacts {
  /** A system error code (ECONNREFUSED, ENOTFOUND, EACCES, EADDRINUSE, SQLITE_CANTOPEN…). */
  code?: string;
  /** An HTTP status the service answered with (401 for a rejected token). */
  status?: number;
  /** Slack's own error string (invalid_auth, not_authed, token_revoked…). */
  slackError?: string;
  message: string;
  /** Raised while opening the Socket Mode connection, which uses the app-level token. */
  fromSocketMode: boolean;
}

/** Digs through wrappers (fetch's cause, Slack's original, AggregateError) for what went wrong. */
function factsOf(error: unknown): ErrorFacts {
  const facts: ErrorFacts = {
    message: error instanceof Error ? error.message : String(error),
    fromSocketMode: false,
  };
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const fields = current as Record<string, unknown>;
    if (
      !facts.code &&
      typeof fields.code === 'string' &&
      /^(E[A-Z]+|SQLITE_\w+)$/.test(fields.code)
    )
      facts.code = fields.code;
    if (!facts.status && typeof fields.status === 'number') facts.status = fields.status;
    if (typeof fields.stack === 'string' && fields.stack.includes('SocketModeClient'))
      facts.fromSocketMode = true;
    const data = fields.data as { error?: unknown } | undefined;
    if (!facts.slackError && typeof data?.error === 'string') facts.slackError = data.error;
    queue.push(
      fields.cause,
      fields.original,
      ...(Array.isArray(fields.errors) ? (fields.errors as unknown[]) : []),
    );
  }
  return facts;
}

/** The system error code (ECONNREFUSED, ENOTFOUND…) behind an error, however deeply wrapped. */
export function systemErrorCode(error: unknown): string | undefined {
  return factsOf(error).code;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const SLACK_TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
]);

/** The host:port of a Redis URL, without its password. */
function redisAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

function explainStore(facts: ErrorFacts, config: StartupConfig): string {
  const kind = storeKindOf(config.STORE_URL);
  if (kind === 'redis') {
    const address = redisAddress(config.STORE_URL);
    const why = facts.code ?? facts.message;
    return `Redis at ${address} is not answering (${why}): start Redis there, or point STORE_URL at a running one (redis://HOST:PORT), or use the default sqlite:// store for a single process.`;
  }
  const path = resolve(sqlitePathFromUrl(config.STORE_URL));
  return `cannot write the SQLite store ${path} (${facts.code ?? facts.message}): make its folder writable by this user, or set STORE_URL to a writable place (sqlite:///absolute/path/bot.sqlite).`;
}

function explainHttp(facts: ErrorFacts, config: StartupConfig): string {
  const port = config.HTTP_PORT;
  if (facts.code === 'EADDRINUSE')
    return `port ${port} is already in use (EADDRINUSE): stop the program using it, or set HTTP_PORT to a free port.`;
  if (facts.code === 'EACCES')
    return `not allowed to listen on port ${port} (EACCES): ports below 1024 need privileges; set HTTP_PORT to 1024 or above (default 3000).`;
  if (facts.code === 'EADDRNOTAVAIL')
    return `cannot listen on HTTP_HOST=${config.HTTP_HOST ?? ''} (EADDRNOTAVAIL): it is not an address of this machine; unset HTTP_HOST or use 0.0.0.0 or 127.0.0.1.`;
  return `cannot start the HTTP server on port ${port} (${facts.code ?? facts.message}).`;
}

/** Why a call to Discord failed, and what to do: for start-up and the command registration script. */
export function explainDiscordFailure(error: unknown, apiUrl: string): string {
  return explainDiscord(factsOf(error), { DISCORD_API_URL: apiUrl });
}

function explainDiscord(facts: ErrorFacts, config: Pick<StartupConfig, 'DISCORD_API_URL'>): string {
  if (facts.status === 401 || /TokenInvalid|invalid token/i.test(facts.message))
    return 'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the token again from the Bot page of your application in the Discord Developer Portal (Reset Token), see docs/discord.md.';
  if (facts.code && NETWORK_CODES.has(facts.code))
    return `cannot reach Discord at ${config.DISCORD_API_URL} (${facts.code}): check this machine's network and DNS, and DISCORD_API_URL if you changed it.`;
  if (/gateway not ready/i.test(facts.message))
    return `Discord accepted the token but its gateway did not connect (${facts.message}): check that this machine may open WebSocket connections to Discord, then start again.`;
  return `Discord could not be started (${facts.message}): check DISCORD_TOKEN and DISCORD_API_URL (docs/discord.md).`;
}

function explainSlack(facts: ErrorFacts, config: StartupConfig): string {
  if (facts.slackError && SLACK_TOKEN_ERRORS.has(facts.slackError)) {
    // Socket Mode opens its connection with the app-level token; everything else uses the bot token.
    const appToken = facts.fromSocketMode;
    return appToken
      ? `Slack rejected SLACK_APP_TOKEN (${facts.slackError}): create an app-level token (xapp-…) with the connections:write scope under Basic Information → App-Level Tokens, see docs/slack.md.`
      : `Slack rejected SLACK_BOT_TOKEN (${facts.slackError}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions, and reinstall the app if it was revoked, see docs/slack.md.`;
  }
  if (facts.code && NETWORK_CODES.has(facts.code))
    return `cannot reach Slack at ${config.SLACK_API_URL} (${facts.code}): check this machine's network and DNS, and SLACK_API_URL if you changed it.`;
  if (facts.slackError)
    return `Slack refused to start the app (${facts.slackError}): check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and the app's settings (docs/slack.md).`;
  return `Slack could not be started (${facts.message}): check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL (docs/slack.md).`;
}

const EXPLAIN: Record<StartupStage, (facts: ErrorFacts, config: StartupConfig) => string> = {
  store: explainStore,
  http: explainHttp,
  discord: explainDiscord,
  slack: explainSlack,
};

/** One line for the operator: what failed, why, and what to do. Never a stack trace. */
export function explainStartupFailure(error: unknown, config: StartupConfig): string {
  const reason =
    error instanceof StartupFailure
      ? EXPLAIN[error.stage](factsOf(error.cause), config)
      : `${factsOf(error).message} (unexpected; run with LOG_LEVEL=debug for details).`;
  return `gpt-image-bot could not start: ${reason.replace(/\s*\n\s*/g, ' ')}`;
}
