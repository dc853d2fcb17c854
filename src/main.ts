// First import, on purpose: undici 6 (ours and discord.js's) must claim undici's process-wide
// default before @slack/socket-mode's undici 7 loads. Loaded first, undici 7 installs its own
// Agent in the slot undici 6 reads, and discord.js's uploads then fail. (Our own requests always
// pass their own dispatcher.)
import 'undici';
import {
  ConfigError,
  httpListenHost,
  loadConfig,
  loadDotEnv,
  SECRET_VARIABLES,
  type Config,
  type StartupConfig,
} from './config.js';
import { ImageApiClient, type ImageApiClientOptions } from './core/api/client.js';
import { rememberSecrets } from './core/echo.js';
import { resolveApiLimits } from './core/api/limits.js';
import { createApiBudget } from './core/budget/index.js';
import { GenerationService, type GenerationServiceOptions } from './core/generation-service.js';
import { ImageFetcher, type DownloadLimits } from './core/images.js';
import { DEFAULT_POLL_SCHEDULE } from './core/poll-schedule.js';
import type { Store } from './core/store.js';
import { openStore } from './storage/open-store.js';
import { storeKindOf } from './storage/store-url.js';
import { exitGracefullyOnSignals } from './graceful-exit.js';
import { createMetrics } from './http/metrics.js';
import { HttpServer } from './http/server.js';
import { createEditingSupport, sourceBaseUrl, SOURCES_PATH_PREFIX } from './sources/index.js';
import { createLogger, scrubbingDestination, type Logger } from './log.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import { PacedDelivery } from './conversation/delivery.js';
import { createOperatorControls } from './conversation/operator-controls.js';
import { readBlocklistFile } from './conversation/settings/index.js';
import { finishedEvent } from './audit/index.js';
import { createPlatformAdapters } from './platforms/index.js';
import { PLAYGROUND_PLATFORM, playgroundPageUrl } from './platforms/playground/paths.js';
import { startSimulatedImageApi } from './simulator/image-api.js';
import {
  checkRedisReachable,
  explainStartupFailure,
  startupStep,
  withinRedisTimeout,
} from './startup-failure.js';

/** Long enough to watch the status message update, short enough to try many prompts. */
const SIMULATED_TASK_MS = 4_000;
const SIMULATED_ACTIVE_TASK_LIMIT = 3;
/** The simulator takes any `sk-` key; this one is not a secret. */
const SIMULATED_API_KEY = 'sk-simulated-playground';

export interface RunningBot {
  service: GenerationService;
  adapters: PlatformAdapter[];
  httpPort: number;
  /** The address the HTTP server is bound to: HTTP_HOST or its default. */
  httpHost: string;
  /** True when no API key was given and the built-in simulated image API answers instead. */
  simulatedImageApi: boolean;
  /** The playground page, when the playground runs. */
  playgroundUrl?: string;
  stop(): Promise<void>;
}

/** Timing knobs that are not configuration: tests and benchmarks shorten them for simulated tasks. */
export type CoreTuning = Pick<GenerationServiceOptions, 'poller' | 'deliveryRetry' | 'clock'> & {
  /** At most one progress view per job this often, on every platform (default 5 s). */
  progressIntervalMs?: number;
  /** How long a task takes on the built-in simulated image API (used when there is no key). */
  simulatedTaskMs?: number;
  /** Result downloads' caps (size, time, slowness), shortened by tests of hostile hosts. */
  downloadLimits?: Partial<DownloadLimits>;
  /** How long a kept source's signed link is valid (at most an hour); tests of late fetches shorten it. */
  sourceLinkLifetimeMs?: number;
  /** Keys on a shared Redis under this prefix, so bots of tests running side by side keep apart. */
  storePrefix?: string;
  /** createTask's retries and each API call's time limit, shortened by tests of a failing API. */
  apiCalls?: Pick<ImageApiClientOptions, 'createRetry' | 'timeoutMs'>;
};

/** The composition root: config → store → core → adapters → HTTP, and the reverse on shutdown. */
export async function startBot(
  startup: StartupConfig,
  baseLogger: Logger,
  {
    simulatedTaskMs,
    downloadLimits,
    progressIntervalMs,
    sourceLinkLifetimeMs,
    storePrefix,
    apiCalls,
    ...tuning
  }: CoreTuning = {},
): Promise<RunningBot> {
  // Read before anything is opened: a bad file stops start-up with nothing left to close.
  const sharedBlocklist = startup.PROMPT_BLOCKLIST_FILE
    ? await readBlocklistFile(startup.PROMPT_BLOCKLIST_FILE)
    : { entries: [] };
  if ('problem' in sharedBlocklist) throw new ConfigError([sharedBlocklist.problem]);
  // No key (allowed only when the playground is the sole platform): simulate the API in-process.
  const taskMs = simulatedTaskMs ?? SIMULATED_TASK_MS;
  // The key's limits (API_TIER, API_LIMITS). The simulated API keeps the same ones as a real key
  // would, with a small active-task limit so people see the queue.
  const apiLimits = resolveApiLimits(startup.API_TIER, {
    ...startup.API_LIMITS,
    ...(startup.AIGPTIMAGE_API_KEY ? {} : { activeTasks: SIMULATED_ACTIVE_TASK_LIMIT }),
  });
  const simulator = startup.AIGPTIMAGE_API_KEY
    ? undefined
    : await startSimulatedImageApi({
        taskDurationMs: taskMs,
        limits: apiLimits,
        // Local source links use the address the HTTP server is bound to (sourceBaseUrl).
        localHttpHosts: (): readonly string[] => [http.boundHost],
      });
  // The default schedule expects real tasks of 30-60 s; simulated ones would be seen late.
  const simulatedSchedule = simulator && {
    poller: {
      schedule: {
        ...DEFAULT_POLL_SCHEDULE,
        targetIntervalMs: 500,
        minIntervalMs: 100,
        priorDurationMs: { early: taskMs / 2, late: taskMs * 4 },
      },
    },
  };
  const config: Config = {
    ...startup,
    AIGPTIMAGE_API_KEY: startup.AIGPTIMAGE_API_KEY ?? SIMULATED_API_KEY,
    ...(simulator ? { AIGPTIMAGE_BASE_URL: simulator.url } : {}),
  };
  // What the renderers hide from every user-visible text, as the logger hides it from every line.
  rememberSecrets(SECRET_VARIABLES.map((name) => startup[name]));
  // Every line says so when the images are not real, so nobody mistakes a demo for production.
  const logger = simulator ? baseLogger.child({ imageApi: 'simulated' }) : baseLogger;
  logger.info(
    simulator ? {} : { imageApi: config.AIGPTIMAGE_BASE_URL },
    simulator
      ? 'no AIGPTIMAGE_API_KEY: using the built-in simulated image API (images are placeholders)'
      : 'using the image API',
  );
  const storeOptions = { logger, ...(storePrefix ? { prefix: storePrefix } : {}) };
  const store: Store = await startupStep('store', async () => {
    if (storeKindOf(config.STORE_URL) !== 'redis') return openStore(config.STORE_URL, storeOptions);
    await checkRedisReachable(config.STORE_URL);
    return withinRedisTimeout(openStore(config.STORE_URL, storeOptions));
  });
  const metrics = createMetrics();
  const controls = createOperatorControls({
    store,
    logger,
    retentionDays: config.JOB_RETENTION_DAYS,
    defaultBudget: { daily: config.SERVER_DAILY_CREDITS, monthly: config.SERVER_MONTHLY_CREDITS },
    sharedBlocklist: sharedBlocklist.entries,
    observe: (event) => metrics.audited(event),
    ...(tuning?.clock ? { clock: tuning.clock } : {}),
  });
  const api = new ImageApiClient({
    baseUrl: config.AIGPTIMAGE_BASE_URL,
    apiKey: config.AIGPTIMAGE_API_KEY,
    logger,
    observer: metrics.observer,
    ...apiCalls,
  });
  // One budget for createTask and recordInfo, shared by every replica when the store is Redis.
  const budget = createApiBudget({
    store,
    limits: apiLimits,
    apiKey: config.AIGPTIMAGE_API_KEY,
    logger,
  });
  // Results come from the API's own origin (a local test API or the simulator included) and the
  // operator's allow-list; any other host only from public addresses.
  const fetcher = new ImageFetcher({
    apiBaseUrl: config.AIGPTIMAGE_BASE_URL,
    ...(config.FETCH_ALLOW_HOSTS ? { allowHosts: config.FETCH_ALLOW_HOSTS } : {}),
    ...(downloadLimits ? { limits: downloadLimits } : {}),
  });
  // Known once the HTTP server listens (HTTP_PORT may be 0): the base of local source links.
  let listeningPort = config.HTTP_PORT;
  const editing = createEditingSupport({
    store,
    fetcher,
    apiKey: config.AIGPTIMAGE_API_KEY,
    logger,
    ...(sourceLinkLifetimeMs !== undefined ? { linkLifetimeMs: sourceLinkLifetimeMs } : {}),
    baseUrl: () =>
      sourceBaseUrl(
        { apiBaseUrl: config.AIGPTIMAGE_BASE_URL, publicUrl: config.PUBLIC_URL },
        listeningPort,
        http.boundHost,
      ),
  });
  const service = new GenerationService({
    ...simulatedSchedule,
    sourceLinks: editing.links,
    ...tuning,
    fetcher,
    budget,
    api,
    store,
    logger,
    observer: {
      ...metrics.observer,
      // Its end in the audit trail; the place is the one the conversation recorded with the job.
      jobFinished: (job) => {
        const event = finishedEvent(job, job.place ?? {});
        if (!event) return;
        controls.audit
          .record(event)
          .catch((error: unknown) =>
            logger.warn({ err: error, requestId: job.requestId }, 'audit record not saved'),
          );
      },
    },
    retentionMs: config.JOB_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    quota: {
      dailyCredits: config.USER_DAILY_CREDITS,
      costs: config.CREDIT_COSTS,
      maxActivePerUser: config.MAX_ACTIVE_PER_USER,
    },
  });
  const http = new HttpServer({
    port: config.HTTP_PORT,
    host: httpListenHost(config),
    logger,
    readiness: async () => {
      const checks: Record<string, boolean> = {};
      checks.store = await store.ping();
      for (const adapter of adapters) checks[adapter.platform] = adapter.isReady();
      return { ready: Object.values(checks).every(Boolean), checks };
    },
  });
  metrics.watch(service);
  http.route('/metrics', metrics.handler);
  http.routePrefix(SOURCES_PATH_PREFIX, editing.serve);
  const adapters = await createPlatformAdapters({
    config,
    service,
    logger,
    http,
    editing,
    controls,
    simulatedImageApi: simulator !== undefined,
  });
  for (const adapter of adapters) {
    const paced = new PacedDelivery(adapter.delivery, {
      ...(progressIntervalMs !== undefined ? { progressIntervalMs } : {}),
    });
    service.registerDelivery(adapter.platform, paced);
  }

  // Listening before any job resumes: a resumed job's kept sources are signed with the port bound
  // (HTTP_PORT may be 0) and the API may fetch them as soon as the task is created.
  const httpPort = await startupStep('http', () => http.listen());
  listeningPort = httpPort;
  await service.start();
  for (const adapter of adapters) {
    const platform = adapter.platform;
    await (platform === 'discord' || platform === 'slack'
      ? startupStep(platform, () => adapter.start())
      : adapter.start());
  }
  const playgroundUrl = adapters.some((adapter) => adapter.platform === PLAYGROUND_PLATFORM)
    ? playgroundPageUrl(httpPort, config)
    : undefined;
  logger.info(
    {
      platforms: adapters.map((adapter) => adapter.platform),
      store: storeKindOf(config.STORE_URL),
      httpHost: http.boundHost,
      httpPort,
      ...(simulator ? {} : { imageApi: config.AIGPTIMAGE_BASE_URL }),
      ...(playgroundUrl ? { playgroundUrl } : {}),
    },
    'gpt-image-bot is running',
  );

  return {
    service,
    adapters,
    httpPort,
    httpHost: http.boundHost,
    simulatedImageApi: simulator !== undefined,
    ...(playgroundUrl ? { playgroundUrl } : {}),
    async stop() {
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await service.stop();
      await fetcher.close();
      await budget.close();
      await http.close();
      await api.close();
      await store.close();
      await simulator?.close();
    },
  };
}

async function main(): Promise<void> {
  loadDotEnv();
  let config: StartupConfig;
  try {
    config = loadConfig(process.env, { requirePlatform: true, offerPlayground: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const secrets = SECRET_VARIABLES.map((name) => config[name]);
  const logger = createLogger({ level: config.LOG_LEVEL, secrets });
  let bot: RunningBot;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    // The operator gets one line naming the cause and the fix; the details only at LOG_LEVEL=debug.
    logger.debug({ err: error }, 'start-up failed');
    const stderr = scrubbingDestination({ write: (line) => process.stderr.write(line) }, secrets);
    // A variable found wrong only at start-up (PROMPT_BLOCKLIST_FILE) reads as loadConfig's do.
    const line =
      error instanceof ConfigError ? error.message : explainStartupFailure(error, config);
    stderr.write(`${line}\n`);
    process.exit(1);
  }
  if (bot.playgroundUrl) {
    const backend = bot.simulatedImageApi
      ? 'simulated image API; set AIGPTIMAGE_API_KEY for real images'
      : 'real image API';
    const connect =
      config.DISCORD_TOKEN || config.SLACK_BOT_TOKEN
        ? ''
        : 'To connect Discord or Slack, set DISCORD_TOKEN or SLACK_BOT_TOKEN in .env and start again (docs/discord.md, docs/slack.md).\n';
    process.stdout.write(`\nPlayground: ${bot.playgroundUrl}  (${backend})\n${connect}\n`);
  }

  exitGracefullyOnSignals({ stop: () => bot.stop(), logger });
}

if (
  process.argv[1] &&
  import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1])
) {
  await main();
}
