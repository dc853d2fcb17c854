import { maxInAnyWindow } from '../../../src/core/budget/rate-window.js';
import {
  startSimulatedImageApi,
  type SimulatedApiState,
  type SimulatedEndpoint,
  type SimulatedExchange,
  type SimulatedImageApi,
  type SimulatedImageApiOptions,
  type SimulatedRequest,
  type SimulatedTask,
  type SimulatorExtension,
  type SimResponse,
  type SourceFetch,
  type TaskDuration,
  type TaskOutcome,
  type TaskState,
} from '../../../src/simulator/image-api.js';
import { errorResponse, successResponse } from '../../../src/simulator/responses.js';
import { FaultInjector, parseFault, type Fault } from './faults.js';

/**
 * The image API as the tests see it: the product's simulator (src/simulator/), plus what only tests
 * need, added through its extension point: fault injection, a log of every request and when each
 * arrived, a result URL of the test's choosing, and control endpoints under /__sim/ (stats, faults)
 * for `npm run fake-api`.
 */

export interface SimulatorOptions extends SimulatedImageApiOptions {
  /** Keep `sim.requests` and arrival times (default true); disable for long runs. */
  recordRequests?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  endpoint: SimulatedEndpoint;
  requestId?: string;
  authorization?: string;
  body?: unknown;
  at: number;
}

export interface SimulatorStats extends SimulatedApiState {
  requestCounts: Record<SimulatedEndpoint, number>;
  pendingFaults: Fault[];
}

type WindowedEndpoint = 'createTask' | 'recordInfo';

export interface ImageApiSimulator extends SimulatedImageApi {
  readonly requests: RecordedRequest[];
  readonly pendingFaults: readonly Fault[];
  /** When each request to the endpoint arrived (refused or not), in arrival order. */
  arrivals(endpoint: WindowedEndpoint): readonly number[];
  /** The most requests to the endpoint that arrived within any sliding window of `windowMs`. */
  maxArrivalsInWindow(endpoint: WindowedEndpoint, windowMs: number): number;
  /**
   * Picks the result URL a finished task reports (undefined: the simulator's own CDN), as an API
   * answering with someone else's URL would.
   */
  setResultUrl(choose: ((task: SimulatedTask) => string | undefined) | undefined): void;
  /** The task created for this X-Request-ID (the first, if a key sent it twice). */
  taskFor(requestId: string): SimulatedTask | undefined;
  inject(fault: Fault): void;
  clearFaults(): void;
  stats(): SimulatorStats;
}

export async function startImageApiSimulator(
  options: SimulatorOptions = {},
): Promise<ImageApiSimulator> {
  const { recordRequests = true, ...productOptions } = options;
  const fake = new FakeImageApi(recordRequests, options.now ?? Date.now);
  fake.attach(await startSimulatedImageApi(productOptions, fake.extension));
  return fake;
}

const CONTROL_PREFIX = '/__sim/';

class FakeImageApi implements ImageApiSimulator {
  readonly requests: RecordedRequest[] = [];
  private api: SimulatedImageApi | undefined;
  private readonly faults: FaultInjector;
  private chooseResultUrl: ((task: SimulatedTask) => string | undefined) | undefined;
  private readonly requestCounts: Record<SimulatedEndpoint, number> = {
    createTask: 0,
    recordInfo: 0,
    cdn: 0,
    unknown: 0,
  };
  private readonly arrivalTimes: Record<WindowedEndpoint, number[]> = {
    createTask: [],
    recordInfo: [],
  };

  constructor(
    private readonly recordRequests: boolean,
    private readonly now: () => number,
  ) {
    this.faults = new FaultInjector(() => this.product, now);
  }

  attach(api: SimulatedImageApi): void {
    this.api = api;
  }

  private get product(): SimulatedImageApi {
    if (!this.api) throw new Error('The fake image API is not listening yet');
    return this.api;
  }

  /** What the product simulator calls: it never learns of faults, logs or control endpoints. */
  readonly extension: SimulatorExtension = {
    intercept: (exchange) => this.intercept(exchange),
    resultUrl: (task) => this.chooseResultUrl?.(task),
    close: () => this.faults.close(),
  };

  private async intercept(exchange: SimulatedExchange): Promise<boolean> {
    const { request } = exchange;
    // Control traffic is neither counted, logged nor subject to faults.
    if (request.url.pathname.startsWith(CONTROL_PREFIX)) {
      exchange.send(this.control(request));
      return true;
    }
    this.requestCounts[request.endpoint]++;
    if (this.recordRequests) {
      if (request.endpoint === 'createTask' || request.endpoint === 'recordInfo')
        this.arrivalTimes[request.endpoint].push(request.arrivedAt);
      this.requests.push(this.describe(request));
    }
    return this.faults.intercept(exchange);
  }

  // ---- what tests add ----

  get pendingFaults(): readonly Fault[] {
    return this.faults.pending;
  }

  inject(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setResultUrl(choose: ((task: SimulatedTask) => string | undefined) | undefined): void {
    this.chooseResultUrl = choose;
  }

  taskFor(requestId: string): SimulatedTask | undefined {
    for (const task of this.product.tasks.values()) if (task.requestId === requestId) return task;
    return undefined;
  }

  arrivals(endpoint: WindowedEndpoint): readonly number[] {
    return this.arrivalTimes[endpoint];
  }

  maxArrivalsInWindow(endpoint: WindowedEndpoint, windowMs: number): number {
    return maxInAnyWindow(this.arrivalTimes[endpoint], windowMs);
  }

  stats(): SimulatorStats {
    return {
      ...this.product.stats(),
      requestCounts: { ...this.requestCounts },
      pendingFaults: this.faults.pending,
    };
  }

  // ---- the product's own, unchanged ----

  get url(): string {
    return this.product.url;
  }
  get port(): number {
    return this.product.port;
  }
  get tasks(): Map<string, SimulatedTask> {
    return this.product.tasks;
  }
  get createdTaskCount(): number {
    return this.product.createdTaskCount;
  }
  get activeTaskRefusals(): number {
    return this.product.activeTaskRefusals;
  }
  get sourceFetches(): readonly SourceFetch[] {
    return this.product.sourceFetches;
  }
  credits(key: string): number {
    return this.product.credits(key);
  }
  setCredits(key: string, credits: number): void {
    this.product.setCredits(key, credits);
  }
  taskState(taskId: string): TaskState | undefined {
    return this.product.taskState(taskId);
  }
  finishTask(taskId: string, outcome: TaskOutcome): void {
    this.product.finishTask(taskId, outcome);
  }
  setTaskDuration(duration: TaskDuration): void {
    this.product.setTaskDuration(duration);
  }
  resultUrlOf(task: SimulatedTask): string {
    return this.product.resultUrlOf(task);
  }
  close(): Promise<void> {
    return this.product.close();
  }

  // ---- helpers ----

  private describe(request: SimulatedRequest): RecordedRequest {
    const recorded: RecordedRequest = {
      method: request.method,
      path: request.path,
      endpoint: request.endpoint,
      at: this.now(),
    };
    if (request.requestId !== undefined) recorded.requestId = request.requestId;
    if (request.authorization !== undefined) recorded.authorization = request.authorization;
    if (request.bodyText !== '') {
      recorded.body = request.parsedBody.ok ? request.parsedBody.value : request.bodyText;
    }
    return recorded;
  }

  /** GET /__sim/stats; POST /__sim/faults (one fault or a list); DELETE /__sim/faults. */
  private control({ method, url, parsedBody }: SimulatedRequest): SimResponse {
    const { pathname } = url;
    if (pathname === '/__sim/stats' && method === 'GET') return successResponse(this.stats());
    if (pathname === '/__sim/faults' && method === 'POST') {
      if (!parsedBody.ok) return errorResponse(400, 'Request body must be valid JSON');
      const candidates = Array.isArray(parsedBody.value) ? parsedBody.value : [parsedBody.value];
      let faults: Fault[];
      try {
        faults = candidates.map(parseFault);
      } catch (error) {
        return errorResponse(422, error instanceof Error ? error.message : String(error));
      }
      for (const fault of faults) this.inject(fault);
      return successResponse({ pendingFaults: this.pendingFaults });
    }
    if (pathname === '/__sim/faults' && method === 'DELETE') {
      this.clearFaults();
      return successResponse({ pendingFaults: [] });
    }
    if (pathname === '/__sim/stats' || pathname === '/__sim/faults') return errorResponse(405);
    return errorResponse(404, 'Not found');
  }
}
