import { ConfigError, loadConfig, loadDotEnv, SECRET_VARIABLES, type Config } from './config.js';
import { ImageApiClient } from './core/api/client.js';
import { GenerationService, type GenerationServiceOptions } from './core/generation-service.js';
import { openStore, type Store } from './core/store.js';
import { createMetrics } from './http/metrics.js';
import { HttpServer } from './http/server.js';
import { createLogger, type Logger } from './log.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import { createPlatformAdapters } from './platforms/index.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningBot {
  service: GenerationService;
  adapters: PlatformAdapter[];
  httpPort: number;
  stop(): Promise<void>;
}

/** Timing knobs that are not configuration: tests and benchmarks shorten them for simulated tasks. */
export type CoreTuning = Pick<
  GenerationServiceOptions,
  'poller' | 'progressIntervalMs' | 'deliveryRetry' | 'clock'
>;

/** The composition root: config → store → core → adapters → HTTP, and the reverse on shutdown. */
export async function startBot(
  config: Config,
  logger: Logger,
  tuning: CoreTuning = {},
): Promise<RunningBot> {
  const store: Store = await openStore(config.STORE_URL);
  const metrics = createMetrics();
  const api = new ImageApiClient({
    baseUrl: config.AIGPTIMAGE_BASE_URL,
    apiKey: config.AIGPTIMAGE_API_KEY,
    logger,
    observer: metrics.observer,
  });
  const service = new GenerationService({
    ...tuning,
    api,
    store,
    logger,
    observer: metrics.observer,
    retentionMs: config.JOB_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    quota: {
      dailyCredits: config.USER_DAILY_CREDITS,
      costs: config.CREDIT_COSTS,
      maxActivePerUser: config.MAX_ACTIVE_PER_USER,
    },
  });
  const http = new HttpServer({
    port: config.HTTP_PORT,
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
  const adapters = await createPlatformAdapters({ config, service, logger, http });
  for (const adapter of adapters) service.registerDelivery(adapter.platform, adapter.delivery);

  await service.start();
  const httpPort = await http.listen();
  for (const adapter of adapters) await adapter.start();
  logger.info(
    { platforms: adapters.map((adapter) => adapter.platform), store: store.kind, httpPort },
    'gpt-image-bot is running',
  );

  return {
    service,
    adapters,
    httpPort,
    async stop() {
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await service.stop();
      await http.close();
      await api.close();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig(process.env, { requirePlatform: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: SECRET_VARIABLES.map((name) => config[name]),
  });
  const bot = await startBot(config, logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down; unfinished jobs resume on the next start');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway (jobs are already recorded)');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (
  process.argv[1] &&
  import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1])
) {
  await main();
}
