import { loadConfig, SECRET_VARIABLES } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot, type CoreTuning } from '../../src/main.js';

/**
 * The whole bot (startBot: config, store, core, adapters) in a process of its own, for the
 * scenarios that drive it through fake chat platforms: the fakes stay in the parent, the way
 * Discord and Slack are elsewhere, and this process's memory is the bot's alone.
 * Started by bench/lib/bot-process.ts over an IPC channel; never run by hand.
 */

export interface BotChildOptions {
  env: Record<string, string>;
  tuning: CoreTuning;
}

export type ParentMessage = { type: 'report' } | { type: 'reset-peak' } | { type: 'stop' };

export interface MemoryReport {
  type: 'report';
  rssBytes: number;
  heapUsedBytes: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
}

export type ChildMessage = { type: 'ready' } | MemoryReport | { type: 'stopped' };

/** Often enough to catch the peak of a burst of 8 MiB images passing through. */
const MEMORY_SAMPLE_MS = 10;

async function runBotChild(options: BotChildOptions): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  const config = loadConfig(options.env, { requirePlatform: true });
  const logger = createLogger({
    level: config.LOG_LEVEL,
    destination: { write: (line: string) => void process.stderr.write(line) },
    pretty: false,
    secrets: SECRET_VARIABLES.map((name) => config[name]),
  });
  const bot = await startBot(config, logger, options.tuning);

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    return usage;
  };
  const sampler = setInterval(sample, MEMORY_SAMPLE_MS);

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'reset-peak') {
      peakRss = 0;
      peakHeap = 0;
      sample();
    } else if (message.type === 'report') {
      const usage = sample();
      send({
        type: 'report',
        rssBytes: usage.rss,
        heapUsedBytes: usage.heapUsed,
        peakRssBytes: peakRss,
        peakHeapUsedBytes: peakHeap,
      });
    } else {
      clearInterval(sampler);
      void bot.stop().finally(() => {
        send({ type: 'stopped' });
        process.disconnect();
      });
    }
  });
  // The parent is gone: nobody will ever ask this bot to stop.
  process.on('disconnect', () => {
    clearInterval(sampler);
    void bot.stop().finally(() => process.exit(0));
  });
  send({ type: 'ready' });
}

const optionsJson = process.env.BENCH_BOT_OPTIONS;
if (optionsJson) await runBotChild(JSON.parse(optionsJson) as BotChildOptions);
