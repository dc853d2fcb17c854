/**
 * One bot replica reduced to its core, run as a separate process by the multi-replica tests: the
 * real GenerationService on a shared Redis, taking requests over a small HTTP endpoint and
 * reporting every view it shows to the test's recorder. Killing this process is a real crash.
 */
import { createServer } from 'node:http';
import { ImageApiClient } from '../../src/core/api/client.js';
import { BullDispatcher } from '../../src/storage/redis/job-engine.js';
import { isUserError } from '../../src/core/errors.js';
import { GenerationService } from '../../src/core/generation-service.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Delivery, PoolCharge } from '../../src/core/types.js';
import { exitGracefullyOnSignals } from '../../src/graceful-exit.js';
import { createLogger } from '../../src/log.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false });
const store = await openStore(env('STORE_URL'), { prefix: env('STORE_PREFIX'), logger });
const api = new ImageApiClient({
  baseUrl: env('API_URL'),
  apiKey: 'sk-replica-test',
  timeoutMs: 5_000,
});
const recorderUrl = env('RECORDER_URL');

const delivery: Delivery = {
  async show(job, view) {
    await fetch(recorderUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pid: process.pid, requestId: job.requestId, view }),
    });
  },
};

const dispatcher = store.shared
  ? new BullDispatcher({
      redisUrl: env('STORE_URL'),
      prefix: env('STORE_PREFIX'),
      logger,
      outage: store.outage,
      // Unset: the production lock settings, for the takeover measurements.
      ...(process.env.LOCK_DURATION_MS
        ? { lockDurationMs: Number(process.env.LOCK_DURATION_MS) }
        : {}),
    })
  : undefined;

const service = new GenerationService({
  api,
  store,
  logger,
  ...(dispatcher ? { dispatcher } : {}),
  quota: {
    dailyCredits: Number(process.env.DAILY_CREDITS ?? 100),
    costs: { '1K': 1, '2K': 2, '4K': 4 },
    maxActivePerUser: 1_000,
  },
  deliveries: { replica: delivery },
  poller: {
    schedule: {
      targetIntervalMs: 50,
      minIntervalMs: 10,
      maxIntervalMs: 200,
      priorDurationMs: { early: 50, late: 5_000 },
      minSamples: 1_000,
    },
    deadlineMs: 60_000,
  },
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      requestId: string;
      userKey: string;
      prompt?: string;
      resolution?: '1K' | '2K' | '4K';
      pools?: PoolCharge[];
    };
    service
      .request({
        requestId: body.requestId,
        user: { key: body.userKey, displayName: body.userKey },
        prompt: body.prompt ?? 'a replica test',
        options: { resolution: body.resolution ?? '1K', private: false },
        target: { platform: 'replica' },
        ...(body.pools ? { pools: body.pools } : {}),
      })
      .then(
        (result) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ accepted: true, duplicate: result.duplicate }));
        },
        (error: unknown) => {
          response.writeHead(isUserError(error) ? 409 : 500, {
            'content-type': 'application/json',
          });
          response.end(
            JSON.stringify({
              accepted: false,
              code: isUserError(error) ? error.code : String(error),
            }),
          );
        },
      );
  });
});

await service.start();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address() as { port: number };
process.stdout.write(`READY ${address.port}\n`);

// The same signal handling as the bot's own entry point.
exitGracefullyOnSignals({
  logger,
  async stop() {
    server.close();
    await service.stop();
    await api.close();
    await store.close();
  },
});
