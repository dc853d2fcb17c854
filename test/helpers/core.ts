import {
  DEFAULT_CREATE_RETRY,
  ImageApiClient,
  type RetryOptions,
} from '../../src/core/api/client.js';
import {
  GenerationService,
  type GenerationServiceOptions,
} from '../../src/core/generation-service.js';
import type { CoreObserver } from '../../src/core/observer.js';
import type { GenerationOptions } from '../../src/core/options.js';
import type { Store } from '../../src/core/store.js';
import { openStore } from '../../src/storage/open-store.js';
import type { GenerationRequest } from '../../src/core/types.js';
import type { PollScheduleSettings } from '../../src/core/poll-schedule.js';
import type { CoreTuning } from '../../src/main.js';
import { RecordingDelivery } from './recording-delivery.js';

export const TEST_KEY = 'sk-test-0123456789abcdef';

/** Polls quickly, since simulated tasks take a fraction of a second instead of tens of seconds. */
export const FAST_SCHEDULE: PollScheduleSettings = {
  targetIntervalMs: 40,
  minIntervalMs: 10,
  maxIntervalMs: 200,
  priorDurationMs: { early: 40, late: 3_000 },
  minSamples: 1_000,
};

/** As many createTask attempts as in production, a few milliseconds apart instead of seconds. */
export const FAST_CREATE_RETRY: RetryOptions = { ...DEFAULT_CREATE_RETRY, baseMs: 20, capMs: 200 };

/** The whole bot's timing for simulated tasks: fast polls, deliveries and createTask retried quickly. */
export const BOT_TEST_TUNING: CoreTuning = {
  poller: {
    schedule: FAST_SCHEDULE,
    maxRequestsPerSecond: 500,
    deadlineMs: 20_000,
    errorBackoff: { baseMs: 20, capMs: 200 },
  },
  progressIntervalMs: 0,
  deliveryRetry: { maxAttempts: 5, baseMs: 50, capMs: 1_000 },
  apiCalls: { createRetry: FAST_CREATE_RETRY },
};

export interface TestCore {
  service: GenerationService;
  delivery: RecordingDelivery;
  api: ImageApiClient;
  store: Store;
  close(): Promise<void>;
}

export interface TestCoreOptions {
  apiUrl: string;
  storeUrl?: string;
  storePrefix?: string;
  apiKey?: string;
  dailyCredits?: number;
  maxActivePerUser?: number;
  delivery?: RecordingDelivery;
  service?: Partial<GenerationServiceOptions>;
  createRetry?: { maxAttempts: number; baseMs: number; capMs: number };
  timeoutMs?: number;
  observer?: CoreObserver;
}

export async function startTestCore(options: TestCoreOptions): Promise<TestCore> {
  const store = await openStore(
    options.storeUrl ?? 'memory://',
    options.storePrefix ? { prefix: options.storePrefix } : {},
  );
  const api = new ImageApiClient({
    baseUrl: options.apiUrl,
    apiKey: options.apiKey ?? TEST_KEY,
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.observer ? { observer: options.observer } : {}),
    createRetry: options.createRetry ?? { maxAttempts: 4, baseMs: 20, capMs: 100 },
  });
  const delivery = options.delivery ?? new RecordingDelivery();
  const service = new GenerationService({
    api,
    store,
    quota: {
      dailyCredits: options.dailyCredits ?? 100,
      costs: { '1K': 1, '2K': 2, '4K': 4 },
      maxActivePerUser: options.maxActivePerUser ?? 100,
    },
    deliveries: { test: delivery },
    ...(options.observer ? { observer: options.observer } : {}),
    deliveryRetry: { maxAttempts: 3, baseMs: 10, capMs: 50 },
    poller: {
      schedule: FAST_SCHEDULE,
      maxRequestsPerSecond: 500,
      deadlineMs: 20_000,
      errorBackoff: { baseMs: 20, capMs: 200 },
    },
    ...options.service,
  });
  await service.start();
  return {
    service,
    delivery,
    api,
    store,
    async close() {
      await service.stop();
      await api.close();
      await store.close();
    },
  };
}

let counter = 0;

export function makeRequest(
  overrides: Partial<Omit<GenerationRequest, 'options'>> & {
    options?: Partial<GenerationOptions>;
  } = {},
): GenerationRequest {
  counter++;
  // Zero-padded: jobs arriving in the same millisecond are ordered by id, and so keep request order.
  const serial = String(counter).padStart(8, '0');
  return {
    requestId:
      overrides.requestId ?? `req-${process.pid}-${serial}-${Math.random().toString(36).slice(2)}`,
    user: overrides.user ?? { key: 'test:alice', displayName: 'Alice' },
    prompt: overrides.prompt ?? 'a red fox in the snow',
    options: { resolution: '1K', private: false, ...overrides.options },
    target: overrides.target ?? { platform: 'test' },
  };
}

/** Waits until an async probe returns something other than undefined. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the stored job reaches the state, proving the record was written, not only shown. */
export function stateOf(core: TestCore, requestId: string, state: string): Promise<string> {
  return eventually(
    async () => {
      const job = await core.service.jobs.get(requestId);
      return job?.state === state ? job.state : undefined;
    },
    5_000,
    `job ${requestId} to be ${state}`,
  );
}
