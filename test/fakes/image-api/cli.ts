import { parseArgs } from 'node:util';
import { API_TIERS, isApiTier } from '../../../src/core/api/limits.js';
import { startImageApiSimulator } from './index.js';

const usage = `Usage: npm run fake-api -- [--port 8787] [--duration 3000] [--host 127.0.0.1] [--tier basic]

Starts the simulated AI GPT Image API. Prompts containing "[fail]" end in a failed task.
  --port      port to listen on (default 8787, 0 picks a free one)
  --duration  milliseconds a task stays "waiting" (default 3000)
  --host      interface to bind (default 127.0.0.1)
  --tier      enforce a tier's rate and active-task limits (${API_TIERS.join(', ')}; default none)`;

function parseNonNegativeInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"\n\n${usage}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    duration: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    tier: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.tier !== undefined && !isApiTier(values.tier)) {
  console.error(`--tier must be one of ${API_TIERS.join(', ')}, got "${values.tier}"\n\n${usage}`);
  process.exit(2);
}

const simulator = await startImageApiSimulator({
  port: parseNonNegativeInteger('port', values.port),
  host: values.host,
  taskDurationMs: parseNonNegativeInteger('duration', values.duration),
  ...(values.tier !== undefined && isApiTier(values.tier) ? { limits: values.tier } : {}),
  // An operator session can run for hours; the request log would only grow.
  recordRequests: false,
});

console.log(`Fake AI GPT Image API listening on ${simulator.url}`);
console.log(`Point the bot at it with:`);
console.log(`  AIGPTIMAGE_BASE_URL=${simulator.url} AIGPTIMAGE_API_KEY=sk-test`);
console.log(`Inspect: curl ${simulator.url}/__sim/stats`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, shutting down`);
  await simulator.close();
  process.exit(0);
}

process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
