import { loadConfig, SECRET_VARIABLES } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot, type CoreTuning, type RunningBot } from '../../src/main.js';
import type { ChatMessage, JobCard, Notice } from '../../src/platforms/playground/room.js';
import { FAST_SCHEDULE } from '../helpers/core.js';

export interface PlaygroundHarness {
  bot: RunningBot;
  /** The page, e.g. http://localhost:41234/playground/ */
  url: string;
  logs: string[];
  close(): Promise<void>;
}

export interface PlaygroundHarnessOptions {
  /** Extra environment, e.g. AIGPTIMAGE_API_KEY to use a "real" API. */
  env?: Record<string, string>;
  /** How long a simulated task takes; short, so the suites stay fast. */
  taskMs?: number;
  /** Over the defaults below, e.g. shorter download limits. */
  tuning?: CoreTuning;
}

/** The real bot (startBot, as `npm start` runs it) with no chat platform: only the playground. */
export async function startPlayground(
  options: PlaygroundHarnessOptions = {},
): Promise<PlaygroundHarness> {
  const config = loadConfig(
    { STORE_URL: 'memory://', HTTP_PORT: '0', ...options.env },
    { requirePlatform: true, offerPlayground: true },
  );
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
    secrets: SECRET_VARIABLES.map((name) => config[name]),
  });
  const bot = await startBot(config, logger, {
    simulatedTaskMs: options.taskMs ?? 400,
    progressIntervalMs: 100,
    deliveryRetry: { maxAttempts: 3, baseMs: 10, capMs: 50 },
    poller: {
      schedule: FAST_SCHEDULE,
      maxRequestsPerSecond: 200,
      deadlineMs: 20_000,
      errorBackoff: { baseMs: 20, capMs: 200 },
    },
    ...options.tuning,
  });
  if (!bot.playgroundUrl) throw new Error('the playground did not start');
  return { bot, url: bot.playgroundUrl, logs, close: () => bot.stop() };
}

export type { ChatMessage, JobCard, Notice };
