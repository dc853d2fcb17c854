import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImageApiClient, type ImageApi } from '../../src/core/api/client.js';
import { resolveApiLimits } from '../../src/core/api/limits.js';
import { GenerationService } from '../../src/core/generation-service.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Delivery } from '../../src/core/types.js';

/**
 * Scenario 3, the bot's side, in its own process so its RSS is the bot's alone: the real
 * GenerationService holds `jobs` long tasks of the simulator (run by the parent) in flight, and
 * this process reports its memory, event-loop delay and recordInfo rate as one JSON line.
 * Run by bench/scenarios/capacity.ts: node --import tsx bench/scenarios/capacity-child.ts
 */

export interface CapacityChildOptions {
  apiUrl: string;
  storeUrl: string;
  jobs: number;
  users: number;
  /** How long to measure once every job is in flight. */
  steadyMs: number;
  maxRequestsPerSecond: number;
  /** Requests accepted at once while filling up; the rest wait their turn. */
  submitConcurrency: number;
}

export interface CapacityChildResult {
  jobs: number;
  inFlight: number;
  rampMs: number;
  idle: MemorySample;
  peak: MemorySample;
  /** After a full garbage collection with every job in flight: what holding them really costs. */
  retained: MemorySample;
  rampEventLoopDelayP99Ms: number;
  steadyEventLoopDelayP99Ms: number;
  steadyEventLoopDelayMaxMs: number;
  steadyRecordInfoCalls: number;
  steadySeconds: number;
  maxRecordInfoInAnySecond: number;
}

interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
}

/**
 * monitorEventLoopDelay samples with a timer every DELAY_RESOLUTION_MS and records the whole gap
 * between ticks, so an idle loop reads about the resolution itself; the delay is what exceeds it.
 */
const DELAY_RESOLUTION_MS = 10;
const lateness = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - DELAY_RESOLUTION_MS);

const memory = (): MemorySample => {
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed };
};

/** Remembers when each recordInfo call was sent, to find the busiest one-second window. */
class CallTimes {
  private readonly times: number[] = [];
  recording = false;

  record(): void {
    if (this.recording) this.times.push(performance.now());
  }

  get count(): number {
    return this.times.length;
  }

  maxInAnySecond(): number {
    let best = 0;
    let start = 0;
    for (let end = 0; end < this.times.length; end++) {
      while (this.times[end]! - this.times[start]! >= 1000) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}

async function runChild(options: CapacityChildOptions): Promise<CapacityChildResult> {
  const client = new ImageApiClient({ baseUrl: options.apiUrl, apiKey: 'sk-bench-capacity' });
  const callTimes = new CallTimes();
  const api: ImageApi = {
    createTask: (input, context) => client.createTask(input, context),
    getTask: (taskId, context) => {
      callTimes.record();
      return client.getTask(taskId, context);
    },
  };
  // Shows nothing: this scenario measures holding jobs, not chat platforms.
  const delivery: Delivery = { show: () => Promise.resolve() };
  const store = await openStore(options.storeUrl);
  const service = new GenerationService({
    api,
    store,
    quota: {
      dailyCredits: Number.MAX_SAFE_INTEGER,
      costs: { '1K': 1, '2K': 2, '4K': 4 },
      maxActivePerUser: Number.MAX_SAFE_INTEGER,
    },
    deliveries: { bench: delivery },
    poller: { maxRequestsPerSecond: options.maxRequestsPerSecond },
    // A key allowed every job in flight at once: this scenario measures holding them.
    apiLimits: resolveApiLimits('enterprise', { activeTasks: options.jobs }),
  });
  await service.start();

  if (global.gc) global.gc();
  const idle = memory();
  let peak = idle;
  const samplePeak = () => {
    const now = memory();
    peak = {
      rssBytes: Math.max(peak.rssBytes, now.rssBytes),
      heapUsedBytes: Math.max(peak.heapUsedBytes, now.heapUsedBytes),
    };
  };
  const sampler = setInterval(samplePeak, 100);

  const rampDelay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  rampDelay.enable();
  const rampStarted = performance.now();
  let next = 0;
  const submitOne = async () => {
    for (let index = next++; index < options.jobs; index = next++) {
      await service.request({
        requestId: `capacity-${index}`,
        user: { key: `bench:user-${index % options.users}`, displayName: `User ${index}` },
        prompt: `capacity benchmark prompt number ${index}: a lighthouse at dusk, oil painting`,
        options: { resolution: '1K', private: false },
        target: { platform: 'bench', channel: `channel-${index % 50}`, message: `m-${index}` },
      });
    }
  };
  await Promise.all(Array.from({ length: options.submitConcurrency }, submitOne));
  // Accepted is not yet in flight: wait until the poller holds every created task.
  const fillDeadline = Date.now() + 120_000;
  while (service.poller.tracked < options.jobs && Date.now() < fillDeadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const rampMs = performance.now() - rampStarted;
  rampDelay.disable();

  const steadyDelay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  steadyDelay.enable();
  callTimes.recording = true;
  const steadyStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.steadyMs));
  callTimes.recording = false;
  steadyDelay.disable();
  const steadySeconds = (performance.now() - steadyStarted) / 1000;
  clearInterval(sampler);
  samplePeak();
  const inFlight = service.poller.tracked;
  if (global.gc) global.gc();
  const retained = memory();

  await service.stop();
  await client.close();
  await store.close();
  return {
    jobs: options.jobs,
    inFlight,
    rampMs,
    idle,
    peak,
    retained,
    rampEventLoopDelayP99Ms: lateness(rampDelay.percentile(99)),
    steadyEventLoopDelayP99Ms: lateness(steadyDelay.percentile(99)),
    steadyEventLoopDelayMaxMs: lateness(steadyDelay.max),
    steadyRecordInfoCalls: callTimes.count,
    steadySeconds,
    maxRecordInfoInAnySecond: callTimes.maxInAnySecond(),
  };
}

export const RESULT_PREFIX = 'CAPACITY-RESULT ';

const optionsJson = process.env.BENCH_CAPACITY_OPTIONS;
if (optionsJson) {
  const result = await runChild(JSON.parse(optionsJson) as CapacityChildOptions);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  // Nothing else should be pending; exit explicitly so a stray handle cannot hold the parent.
  process.exit(0);
}
