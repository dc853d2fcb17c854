/**
 * The whole bot (startBot: config, store, core, every adapter the environment turns on) as a
 * process of its own, configured by its environment, for tests that crash it on purpose: a
 * SIGKILL here is a real crash, with nothing flushed and no shutdown hook run. Prints
 * `READY <http port>` once it is up; logs JSON lines on stderr.
 */
import { loadConfig, SECRET_VARIABLES } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';
import { BOT_TEST_TUNING } from '../helpers/core.js';

const config = loadConfig(process.env, { requirePlatform: true, offerPlayground: true });
const logger = createLogger({
  level: config.LOG_LEVEL,
  destination: { write: (line: string) => void process.stderr.write(line) },
  pretty: false,
  secrets: SECRET_VARIABLES.map((name) => config[name]),
});
// Simulated tasks take a fraction of a second: poll fast, and retry deliveries quickly.
// STORE_PREFIX (tests only): this bot's keys on a shared Redis, apart from other tests'.
const storePrefix = process.env.STORE_PREFIX;
const bot = await startBot(config, logger, {
  ...BOT_TEST_TUNING,
  ...(storePrefix ? { storePrefix } : {}),
});
process.stdout.write(`READY ${bot.httpPort}\n`);

process.on('SIGTERM', () => {
  void bot.stop().finally(() => process.exit(0));
});
