import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TIER_LIMITS, type ApiLimits, type ApiTier } from '../core/api/limits.js';
import { maxInAnyWindow } from '../core/budget/rate-window.js';
import { MinHeap } from '../core/heap.js';
import {
  ASPECT_RATIOS,
  RESOLUTIONS,
  simulatedImageAsync,
  type AspectRatio,
  type Resolution,
} from './png.js';
import { KeyRateLimits } from './rate-limits.js';

export { ASPECT_RATIOS, RESOLUTIONS, type AspectRatio, type Resolution } from './png.js';

export const IMAGE_MODEL_ID = 'gpt-image-2-text-to-image';
export const MAX_PROMPT_CHARS = 20_000;
export const CREDIT_COST_BY_RESOLUTION: Readonly<Record<Resolution, number>> = {
  '1K': 1,
  '2K': 2,
  '4K': 4,
};
export const CONTENT_POLICY_FAIL_CODE = '400';
export const CONTENT_POLICY_FAIL_MESSAGE =
  "Sorry, but the image we created may violate OpenAI's content policies.";

export type TaskState = 'waiting' | 'success' | 'fail';
export type TaskOutcome = 'success' | 'fail';
export type SimulatedEndpoint = 'createTask' | 'recordInfo' | 'cdn' | 'unknown';
export type FaultEndpoint = 'createTask' | 'recordInfo' | 'cdn' | 'any';
export type FaultStatus = 400 | 401 | 402 | 404 | 409 | 422 | 429 | 500 | 502 | 503;

export type FaultKind =
  | { type: 'status'; status: FaultStatus; msg?: string; retryAfter?: number }
  | { type: 'bodyCode'; code: number; msg?: string }
  | { type: 'html'; status?: number }
  | { type: 'truncated' }
  | { type: 'hang' }
  | { type: 'delay'; ms: number }
  | { type: 'reset' }
  | { type: 'garbage-result' }
  | { type: 'no-urls' };

export interface Fault {
  endpoint: FaultEndpoint;
  /** How many matching requests this fault applies to (default 1). */
  times?: number;
  /** For createTask `hang`/`reset`: create the task first, as if the server crashed after accepting it. */
  afterCreate?: boolean;
  kind: FaultKind;
}

export interface TaskInput {
  prompt: string;
  aspect_ratio?: AspectRatio;
  resolution?: Resolution;
  quality?: string;
  output_format?: string;
  readonly [passThrough: string]: unknown;
}

export type TaskDuration = number | ((input: TaskInput, taskIndex: number) => number);

export interface SimulatorOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Origin used in resultUrls; default is the listening origin (sim.url). */
  publicUrl?: string;
  /** Default: the key starts with `sk-` and is not `sk-invalid`. */
  acceptKey?: (key: string) => boolean;
  /** Starting balance of every key (default Infinity). */
  credits?: number;
  /** Maximum `waiting` tasks per key (default: the tier's `activeTasks`, or Infinity without one). */
  activeTaskLimit?: number;
  /**
   * The key's tier (or its own numbers), enforced as the API documents: createTask and recordInfo
   * each over a 1-second and a 60-second sliding window, 429 with retryAfter, limit, tier and
   * windowSeconds in the body; and its active-task limit (409). Default: no rate limits.
   */
  limits?: ApiTier | ApiLimits;
  /** A prompt containing this text ends in `fail` (default `[fail]`). */
  failMarker?: string;
  /** Default 200 ms. Applies to tasks created afterwards. */
  taskDurationMs?: TaskDuration;
  /** Clock for task timing (default Date.now), so benchmarks can use a virtual clock. */
  now?: () => number;
  /** Passed to simulatedImage as minBytes. */
  imageMinBytes?: number;
  /** Keep `sim.requests` (default true); disable for long runs. */
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

export interface SimulatedTask {
  readonly taskId: string;
  /** 0-based creation order, as passed to a taskDurationMs function. */
  readonly index: number;
  readonly key: string;
  readonly requestId: string | undefined;
  readonly model: string;
  readonly input: TaskInput;
  /** The create body as the JSON string recordInfo reports in `param`. */
  readonly param: string;
  readonly createdAt: number;
  readonly durationMs: number;
  readonly cost: number;
  outcome: TaskOutcome;
  /** When the task leaves `waiting`: createdAt + durationMs, or the finishTask time. */
  completesAt: number;
  /** True once the task has finished and any refund was applied. */
  settled: boolean;
}

export interface TaskRecord {
  taskId: string;
  model: string;
  state: TaskState;
  param: string;
  resultJson: string | null;
  failCode: string | null;
  failMsg: string | null;
  costTime: number | null;
  completeTime: number | null;
  createTime: number;
}

export interface SimulatorStats {
  url: string;
  createdTaskCount: number;
  taskStates: Record<TaskState, number>;
  requestCounts: Record<SimulatedEndpoint, number>;
  /** Requests refused with 429 for going over the tier's windows (only when a tier is enforced). */
  rateLimited?: Record<'createTask' | 'recordInfo', number>;
  pendingFaults: Fault[];
  /** Balance per key that has been used; null means unlimited. */
  credits: Record<string, number | null>;
}

export interface ImageApiSimulator {
  /** Origin, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly tasks: Map<string, SimulatedTask>;
  readonly createdTaskCount: number;
  /** createTask calls answered 409: the key already had its active-task limit of tasks waiting. */
  readonly activeTaskRefusals: number;
  readonly pendingFaults: readonly Fault[];
  /** When each request to the endpoint arrived (refused or not), in arrival order. */
  arrivals(endpoint: 'createTask' | 'recordInfo'): readonly number[];
  /** The most requests to the endpoint that arrived within any sliding window of `windowMs`. */
  maxArrivalsInWindow(endpoint: 'createTask' | 'recordInfo', windowMs: number): number;
  credits(key: string): number;
  setCredits(key: string, credits: number): void;
  taskState(taskId: string): TaskState | undefined;
  /** Ends a waiting task now. Throws for unknown or already finished tasks. */
  finishTask(taskId: string, outcome: TaskOutcome): void;
  /** Changes the duration of tasks created from now on. */
  setTaskDuration(duration: TaskDuration): void;
  /**
   * Picks the result URL a finished task reports (undefined: the simulator's own CDN), as an API
   * answering with someone else's URL would.
   */
  setResultUrl(choose: ((task: SimulatedTask) => string | undefined) | undefined): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

export async function startImageApiSimulator(
  options: SimulatorOptions = {},
): Promise<ImageApiSimulator> {
  const simulator = new ImageApiSimulatorServer(options);
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return simulator;
}

/** Parses and validates a fault, e.g. from the HTTP control endpoint. Throws with a readable message. */
export function parseFault(value: unknown): Fault {
  if (!isPlainObject(value)) throw new Error('fault must be an object');
  const { endpoint, times, afterCreate, kind } = value;
  if (
    endpoint !== 'createTask' &&
    endpoint !== 'recordInfo' &&
    endpoint !== 'cdn' &&
    endpoint !== 'any'
  ) {
    throw new Error('fault.endpoint must be one of createTask, recordInfo, cdn, any');
  }
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1)) {
    throw new Error('fault.times must be a positive integer');
  }
  if (afterCreate !== undefined && typeof afterCreate !== 'boolean') {
    throw new Error('fault.afterCreate must be a boolean');
  }
  const parsedKind = parseFaultKind(kind);
  if (RECORD_ONLY_FAULTS.has(parsedKind.type) && endpoint !== 'recordInfo' && endpoint !== 'any') {
    throw new Error(`fault kind ${parsedKind.type} only applies to recordInfo`);
  }
  return {
    endpoint,
    ...(times === undefined ? {} : { times: times as number }),
    ...(afterCreate === undefined ? {} : { afterCreate }),
    kind: parsedKind,
  };
}

const DEFAULT_TASK_DURATION_MS = 200;
const DEFAULT_FAIL_MARKER = '[fail]';
const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const IMAGE_CACHE_MAX_BYTES = 256 * 1024 * 1024;
const FAULT_STATUSES: ReadonlySet<number> = new Set([
  400, 401, 402, 404, 409, 422, 429, 500, 502, 503,
]);
const RECORD_ONLY_FAULTS: ReadonlySet<FaultKind['type']> = new Set(['garbage-result', 'no-urls']);
const CREATE_TASK_PATH = '/api/v1/jobs/createTask';
const RECORD_INFO_PATH = '/api/v1/jobs/recordInfo';
const CDN_PATH = /^\/cdn\/([^/]+)\/1\.png$/;
const CONTROL_PREFIX = '/__sim/';

const DEFAULT_MESSAGE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Invalid request parameters',
  401: 'Authentication failed or API key is invalid',
  402: 'Insufficient credits',
  404: 'Task not found',
  405: 'Method not allowed',
  409: 'Active task limit exceeded',
  413: 'Request body too large',
  422: 'Parameter validation failed',
  429: 'Request rate limit exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
};

interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface IncomingApiRequest {
  method: string;
  url: URL;
  endpoint: SimulatedEndpoint;
  authorization: string | undefined;
  requestId: string | undefined;
  contentType: string | undefined;
  bodyText: string;
  parsedBody: { ok: true; value: unknown } | { ok: false };
  bodyTooLarge: boolean;
  /** When the request reached the API, before its body was read: what its windows count. */
  arrivedAt: number;
}

interface KeyAccount {
  balance: number;
  waitingCount: number;
  /** Tasks this key still counts as waiting, ordered by completesAt; settled entries are skipped lazily. */
  waitingQueue: MinHeap<SimulatedTask>;
}

interface PendingFault {
  fault: Fault;
  remaining: number;
}

class ImageApiSimulatorServer implements ImageApiSimulator {
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<string, SimulatedTask>();
  private readonly server: Server;
  private readonly acceptKey: (key: string) => boolean;
  private readonly initialCredits: number;
  private readonly activeTaskLimit: number;
  private readonly failMarker: string;
  private readonly now: () => number;
  private readonly imageMinBytes: number | undefined;
  private readonly recordRequests: boolean;
  private readonly publicUrlOption: string | undefined;
  private taskDuration: TaskDuration;
  private readonly accounts = new Map<string, KeyAccount>();
  private readonly rateLimits: KeyRateLimits;
  private readonly taskIdByRequestId = new Map<string, string>();
  private readonly faults: PendingFault[] = [];
  private refusedForActiveTasks = 0;
  private chooseResultUrl: ((task: SimulatedTask) => string | undefined) | undefined;
  private readonly hangingResponses = new Set<ServerResponse>();
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  private readonly imageCache = new Map<string, { image: Promise<Buffer>; bytes: number }>();
  private imageCacheBytes = 0;
  private readonly requestCounts: Record<SimulatedEndpoint, number> = {
    createTask: 0,
    recordInfo: 0,
    cdn: 0,
    unknown: 0,
  };
  private origin = '';
  private listeningPort = 0;
  private closing: Promise<void> | null = null;

  constructor(options: SimulatorOptions) {
    this.acceptKey = options.acceptKey ?? ((key) => key.startsWith('sk-') && key !== 'sk-invalid');
    this.initialCredits = options.credits ?? Infinity;
    const limits =
      typeof options.limits === 'string' ? TIER_LIMITS[options.limits] : options.limits;
    this.activeTaskLimit = options.activeTaskLimit ?? limits?.activeTasks ?? Infinity;
    this.rateLimits = new KeyRateLimits(limits, options.recordRequests ?? true);
    this.failMarker = options.failMarker ?? DEFAULT_FAIL_MARKER;
    this.now = options.now ?? Date.now;
    this.imageMinBytes = options.imageMinBytes;
    this.recordRequests = options.recordRequests ?? true;
    this.publicUrlOption = options.publicUrl?.replace(/\/+$/, '');
    this.taskDuration = options.taskDurationMs ?? DEFAULT_TASK_DURATION_MS;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.send(
            res,
            jsonResponse(500, { code: 500, msg: `Simulator error: ${String(error)}` }),
          );
        } else {
          res.destroy();
        }
      });
    });
    // Thousands of pollers reuse connections; the default 5 s keep-alive would make them reconnect constantly.
    this.server.keepAliveTimeout = 30_000;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        this.listeningPort = address.port;
        const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.origin = `http://${hostForUrl}:${address.port}`;
        resolve();
      });
    });
  }

  get url(): string {
    return this.origin;
  }

  get port(): number {
    return this.listeningPort;
  }

  get createdTaskCount(): number {
    return this.tasks.size;
  }

  get activeTaskRefusals(): number {
    return this.refusedForActiveTasks;
  }

  get pendingFaults(): readonly Fault[] {
    return this.faults.map(({ fault, remaining }) => ({ ...fault, times: remaining }));
  }

  arrivals(endpoint: 'createTask' | 'recordInfo'): readonly number[] {
    return this.rateLimits.arrivals(endpoint);
  }

  maxArrivalsInWindow(endpoint: 'createTask' | 'recordInfo', windowMs: number): number {
    return maxInAnyWindow(this.rateLimits.arrivals(endpoint), windowMs);
  }

  credits(key: string): number {
    const account = this.account(key);
    this.settleFinishedTasks(account);
    return account.balance;
  }

  setCredits(key: string, credits: number): void {
    if (Number.isNaN(credits)) throw new RangeError('credits must be a number');
    this.account(key).balance = credits;
  }

  taskState(taskId: string): TaskState | undefined {
    const task = this.tasks.get(taskId);
    return task ? this.stateOf(task) : undefined;
  }

  finishTask(taskId: string, outcome: TaskOutcome): void {
    const task = this.tasks.get(taskId);
    if (!task) throw new Error(`Unknown task ${taskId}`);
    const state = this.stateOf(task);
    if (state !== 'waiting') throw new Error(`Task ${taskId} already finished with ${state}`);
    task.outcome = outcome;
    task.completesAt = this.now();
    this.settleTask(task, this.account(task.key));
  }

  setTaskDuration(duration: TaskDuration): void {
    this.taskDuration = duration;
  }

  inject(fault: Fault): void {
    const valid = parseFault(fault);
    this.faults.push({ fault: valid, remaining: valid.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  stats(): SimulatorStats {
    const taskStates: Record<TaskState, number> = { waiting: 0, success: 0, fail: 0 };
    for (const task of this.tasks.values()) taskStates[this.stateOf(task)]++;
    const credits: Record<string, number | null> = {};
    for (const key of this.accounts.keys()) {
      const balance = this.credits(key);
      credits[key] = Number.isFinite(balance) ? balance : null;
    }
    return {
      url: this.origin,
      createdTaskCount: this.createdTaskCount,
      taskStates,
      requestCounts: { ...this.requestCounts },
      ...(this.rateLimits.enforced ? { rateLimited: { ...this.rateLimits.refused } } : {}),
      pendingFaults: [...this.pendingFaults],
      credits,
    };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.delayTimers) clearTimeout(timer);
      this.delayTimers.clear();
      for (const res of this.hangingResponses) res.socket?.destroy();
      this.hangingResponses.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = this.now();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const rawBody = await readBody(req);
      this.send(res, this.handleControl(req.method ?? 'GET', url.pathname, rawBody.body));
      return;
    }

    const { body: rawBody, tooLarge } = await readBody(req);
    const bodyText = rawBody?.toString('utf8') ?? '';
    const request: IncomingApiRequest = {
      method: req.method ?? 'GET',
      url,
      endpoint: classifyEndpoint(url.pathname),
      authorization: singleHeader(req.headers.authorization),
      requestId: singleHeader(req.headers['x-request-id'])?.trim() || undefined,
      contentType: singleHeader(req.headers['content-type']),
      bodyText,
      parsedBody: tryParseJson(bodyText),
      bodyTooLarge: tooLarge,
      arrivedAt,
    };
    this.requestCounts[request.endpoint]++;
    if (request.endpoint === 'createTask' || request.endpoint === 'recordInfo')
      this.rateLimits.arrive(request.endpoint, arrivedAt);
    if (this.recordRequests) this.requests.push(this.describe(request, req.url ?? '/'));

    const fault = this.takeFault(request.endpoint);
    if (!fault) {
      this.send(res, await this.respond(request));
      return;
    }
    await this.applyFault(fault, request, req, res);
  }

  private describe(request: IncomingApiRequest, path: string): RecordedRequest {
    const recorded: RecordedRequest = {
      method: request.method,
      path,
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

  private respond(request: IncomingApiRequest): Promise<SimResponse> | SimResponse {
    switch (request.endpoint) {
      case 'createTask':
        return request.method === 'POST' ? this.createTask(request) : errorResponse(405);
      case 'recordInfo':
        return request.method === 'GET' ? this.recordInfo(request) : errorResponse(405);
      case 'cdn':
        return request.method === 'GET' || request.method === 'HEAD'
          ? this.cdn(request)
          : errorResponse(405);
      case 'unknown':
        return errorResponse(404, 'Not found');
    }
  }

  private authenticate(request: IncomingApiRequest): { key: string } | { error: SimResponse } {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '');
    if (!match?.[1]) {
      return {
        error: errorResponse(
          401,
          'Missing or malformed Authorization header, expected: Bearer <api key>',
        ),
      };
    }
    if (!this.acceptKey(match[1])) return { error: errorResponse(401, 'Invalid API key') };
    return { key: match[1] };
  }

  /** Authenticates, then counts the request in the key's windows for its endpoint. */
  private admit(
    request: IncomingApiRequest,
    endpoint: 'createTask' | 'recordInfo',
  ): { key: string } | { error: SimResponse } {
    const auth = this.authenticate(request);
    if ('error' in auth) return auth;
    const refusal = this.rateLimits.admit(auth.key, endpoint, request.arrivedAt);
    if (!refusal) return auth;
    return {
      error: jsonResponse(429, { code: 429, msg: 'rate limit exceeded', data: refusal }),
    };
  }

  private createTask(request: IncomingApiRequest): SimResponse {
    const auth = this.admit(request, 'createTask');
    if ('error' in auth) return auth.error;
    if (request.bodyTooLarge) return errorResponse(413);
    if (!/^application\/json\b/i.test(request.contentType ?? '')) {
      return errorResponse(400, 'Content-Type must be application/json');
    }
    const parsed = request.parsedBody;
    if (!parsed.ok) return errorResponse(400, 'Request body must be valid JSON');
    const validation = validateCreateBody(parsed.value);
    if (!validation.ok) return errorResponse(422, validation.msg);

    const key = auth.key;
    const idempotencyKey =
      request.requestId === undefined ? undefined : `${key}\u0000${request.requestId}`;
    if (idempotencyKey !== undefined) {
      const existingTaskId = this.taskIdByRequestId.get(idempotencyKey);
      if (existingTaskId !== undefined) return successResponse({ taskId: existingTaskId });
    }

    const account = this.account(key);
    this.settleFinishedTasks(account);
    const cost = CREDIT_COST_BY_RESOLUTION[validation.input.resolution ?? '1K'];
    if (account.balance < cost) return errorResponse(402, 'Insufficient credits');
    if (account.waitingCount >= this.activeTaskLimit) {
      this.refusedForActiveTasks++;
      return errorResponse(409, 'Active task limit exceeded');
    }

    const task = this.createTaskRecord(
      key,
      request.requestId,
      validation.input,
      parsed.value,
      cost,
    );
    account.balance -= cost;
    account.waitingCount++;
    account.waitingQueue.push(task);
    if (idempotencyKey !== undefined) this.taskIdByRequestId.set(idempotencyKey, task.taskId);
    return successResponse({ taskId: task.taskId });
  }

  private createTaskRecord(
    key: string,
    requestId: string | undefined,
    input: TaskInput,
    body: unknown,
    cost: number,
  ): SimulatedTask {
    const index = this.tasks.size;
    const requested =
      typeof this.taskDuration === 'function' ? this.taskDuration(input, index) : this.taskDuration;
    const durationMs = Number.isNaN(requested) ? 0 : Math.max(0, requested);
    const createdAt = this.now();
    const task: SimulatedTask = {
      taskId: randomUUID(),
      index,
      key,
      requestId,
      model: IMAGE_MODEL_ID,
      input,
      param: JSON.stringify(body),
      createdAt,
      durationMs,
      cost,
      outcome: input.prompt.includes(this.failMarker) ? 'fail' : 'success',
      completesAt: createdAt + durationMs,
      settled: false,
    };
    this.tasks.set(task.taskId, task);
    return task;
  }

  private findVisibleTask(
    request: IncomingApiRequest,
  ): { task: SimulatedTask } | { error: SimResponse } {
    const auth = this.admit(request, 'recordInfo');
    if ('error' in auth) return auth;
    const taskId = request.url.searchParams.get('taskId');
    if (!taskId) return { error: errorResponse(400, 'taskId is required') };
    const task = this.tasks.get(taskId);
    if (!task || task.key !== auth.key) return { error: errorResponse(404, 'Task not found') };
    return { task };
  }

  private recordInfo(request: IncomingApiRequest): SimResponse {
    const found = this.findVisibleTask(request);
    if ('error' in found) return found.error;
    return successResponse(this.recordOf(found.task));
  }

  private recordOf(task: SimulatedTask): TaskRecord {
    const state = this.stateOf(task);
    // Matches the documented fail example, where costTime and completeTime stay null.
    const succeeded = state === 'success';
    return {
      taskId: task.taskId,
      model: task.model,
      state,
      param: task.param,
      resultJson: succeeded ? JSON.stringify({ resultUrls: [this.resultUrl(task)] }) : null,
      failCode: state === 'fail' ? CONTENT_POLICY_FAIL_CODE : null,
      failMsg: state === 'fail' ? CONTENT_POLICY_FAIL_MESSAGE : null,
      costTime: succeeded ? Math.round(task.completesAt - task.createdAt) : null,
      completeTime: succeeded ? Math.round(task.completesAt) : null,
      createTime: Math.round(task.createdAt),
    };
  }

  setResultUrl(choose: ((task: SimulatedTask) => string | undefined) | undefined): void {
    this.chooseResultUrl = choose;
  }

  private resultUrl(task: SimulatedTask): string {
    return (
      this.chooseResultUrl?.(task) ??
      `${this.publicUrlOption ?? this.origin}/cdn/${task.taskId}/1.png`
    );
  }

  private async cdn(request: IncomingApiRequest): Promise<SimResponse> {
    const taskId = decodeURIComponent(CDN_PATH.exec(request.url.pathname)?.[1] ?? '');
    const task = this.tasks.get(taskId);
    if (!task || this.stateOf(task) !== 'success') {
      return {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: Buffer.from('Not Found'),
      };
    }
    const image = await this.imageFor(task);
    return {
      status: 200,
      headers: {
        'content-type': 'image/png',
        'cache-control': 'public, max-age=31536000, immutable',
      },
      body: image,
    };
  }

  private imageFor(task: SimulatedTask): Promise<Buffer> {
    const { prompt, aspect_ratio: aspectRatio, resolution } = task.input;
    const cacheKey = `${aspectRatio ?? 'auto'}\u0000${resolution ?? '1K'}\u0000${prompt}`;
    const cached = this.imageCache.get(cacheKey);
    if (cached) {
      // Re-insert to keep Map order as least-recently-used first.
      this.imageCache.delete(cacheKey);
      this.imageCache.set(cacheKey, cached);
      return cached.image;
    }
    const entry = {
      image: simulatedImageAsync({ prompt, aspectRatio, resolution, minBytes: this.imageMinBytes }),
      bytes: 0,
    };
    this.imageCache.set(cacheKey, entry);
    entry.image.then(
      (image) => {
        if (this.imageCache.get(cacheKey) !== entry) return;
        entry.bytes = image.length;
        this.imageCacheBytes += image.length;
        this.evictImages();
      },
      () => this.imageCache.delete(cacheKey),
    );
    return entry.image;
  }

  private evictImages(): void {
    for (const [cacheKey, entry] of this.imageCache) {
      if (this.imageCacheBytes <= IMAGE_CACHE_MAX_BYTES || this.imageCache.size <= 1) return;
      this.imageCache.delete(cacheKey);
      this.imageCacheBytes -= entry.bytes;
    }
  }

  // ---- task bookkeeping ----

  private stateOf(task: SimulatedTask): TaskState {
    return this.now() >= task.completesAt ? task.outcome : 'waiting';
  }

  private account(key: string): KeyAccount {
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        balance: this.initialCredits,
        waitingCount: 0,
        // Ordered by the scheduled end, which never changes; finishTask only marks entries settled, so the
        // heap order stays valid and settled entries are discarded when they reach the top.
        waitingQueue: new MinHeap<SimulatedTask>((a, b) => scheduledEnd(a) < scheduledEnd(b)),
      };
      this.accounts.set(key, account);
    }
    return account;
  }

  private settleFinishedTasks(account: KeyAccount): void {
    const now = this.now();
    for (let next = account.waitingQueue.peek(); next; next = account.waitingQueue.peek()) {
      if (!next.settled && scheduledEnd(next) > now) return;
      account.waitingQueue.pop();
      if (!next.settled) this.settleTask(next, account);
    }
  }

  private settleTask(task: SimulatedTask, account: KeyAccount): void {
    if (task.settled) return;
    task.settled = true;
    account.waitingCount--;
    if (task.outcome === 'fail') account.balance += task.cost;
  }

  // ---- faults ----

  private takeFault(endpoint: SimulatedEndpoint): Fault | undefined {
    if (endpoint === 'unknown' || this.faults.length === 0) return undefined;
    const index = this.faults.findIndex(
      ({ fault }) =>
        (fault.endpoint === endpoint || fault.endpoint === 'any') &&
        (!RECORD_ONLY_FAULTS.has(fault.kind.type) || endpoint === 'recordInfo'),
    );
    const pending = this.faults[index];
    if (!pending) return undefined;
    pending.remaining--;
    if (pending.remaining <= 0) this.faults.splice(index, 1);
    return pending.fault;
  }

  private async applyFault(
    fault: Fault,
    request: IncomingApiRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const kind = fault.kind;
    switch (kind.type) {
      case 'status': {
        const response = errorResponse(kind.status, kind.msg);
        if (kind.retryAfter !== undefined)
          response.headers['retry-after'] = String(kind.retryAfter);
        this.send(res, response);
        return;
      }
      case 'bodyCode':
        this.send(
          res,
          jsonResponse(200, {
            code: kind.code,
            msg: kind.msg ?? defaultMessage(kind.code),
            data: null,
          }),
        );
        return;
      case 'html': {
        const status = kind.status ?? 502;
        const title = `${status} ${statusTitle(status)}`;
        const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
        this.send(res, {
          status,
          headers: { 'content-type': 'text/html' },
          body: Buffer.from(page),
        });
        return;
      }
      case 'truncated':
        this.send(res, await this.truncatedResponse(request));
        return;
      case 'hang':
        if (fault.afterCreate && request.endpoint === 'createTask') await this.respond(request);
        this.hangingResponses.add(res);
        res.once('close', () => this.hangingResponses.delete(res));
        return;
      case 'reset':
        if (fault.afterCreate && request.endpoint === 'createTask') await this.respond(request);
        req.socket.destroy();
        return;
      case 'delay': {
        const response = await this.respond(request);
        const timer = setTimeout(() => {
          this.delayTimers.delete(timer);
          this.send(res, response);
        }, kind.ms);
        this.delayTimers.add(timer);
        return;
      }
      case 'garbage-result':
      case 'no-urls': {
        const found = this.findVisibleTask(request);
        if ('error' in found) {
          this.send(res, found.error);
          return;
        }
        const record = this.recordOf(found.task);
        const completeTime = record.completeTime ?? Math.round(this.now());
        const resultJson =
          kind.type === 'no-urls'
            ? JSON.stringify({ resultUrls: [] })
            : `{"resultUrls":["${this.resultUrl(found.task)}"`;
        this.send(
          res,
          successResponse({
            ...record,
            state: 'success',
            resultJson,
            failCode: null,
            failMsg: null,
            completeTime,
            costTime: completeTime - record.createTime,
          }),
        );
        return;
      }
    }
  }

  private async truncatedResponse(request: IncomingApiRequest): Promise<SimResponse> {
    if (request.endpoint === 'cdn') {
      const normal = await this.respond(request);
      if (normal.status !== 200) return normal;
      return { ...normal, body: normal.body.subarray(0, Math.floor(normal.body.length / 2)) };
    }
    // createTask must not create anything here, so the cut body carries a task id nobody knows.
    const full =
      request.endpoint === 'createTask'
        ? jsonResponse(200, { code: 200, msg: 'success', data: { taskId: randomUUID() } })
        : await this.respond(request);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: full.body.subarray(0, Math.floor(full.body.length / 2)),
    };
  }

  // ---- control endpoints ----

  private handleControl(method: string, pathname: string, rawBody: Buffer | null): SimResponse {
    if (pathname === '/__sim/stats' && method === 'GET') {
      return successResponse(this.stats());
    }
    if (pathname === '/__sim/faults' && method === 'POST') {
      const parsed = tryParseJson(rawBody?.toString('utf8') ?? '');
      if (!parsed.ok) return errorResponse(400, 'Request body must be valid JSON');
      const candidates = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
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

  private send(res: ServerResponse, response: SimResponse): void {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': String(response.body.length),
    });
    res.end(res.req.method === 'HEAD' ? undefined : response.body);
  }
}

// ---- helpers ----

type CreateValidation = { ok: true; input: TaskInput } | { ok: false; msg: string };

function validateCreateBody(body: unknown): CreateValidation {
  if (!isPlainObject(body)) return { ok: false, msg: 'Request body must be a JSON object' };
  if (body.model === undefined || body.model === null || body.model === '') {
    return { ok: false, msg: 'model is required' };
  }
  if (typeof body.model !== 'string') return { ok: false, msg: 'model must be a string' };
  if (body.model !== IMAGE_MODEL_ID) {
    return { ok: false, msg: `Unsupported model: ${body.model}. Use ${IMAGE_MODEL_ID}` };
  }
  const input = body.input;
  if (input === undefined || input === null) return { ok: false, msg: 'input is required' };
  if (!isPlainObject(input)) return { ok: false, msg: 'input must be an object' };
  const {
    prompt,
    aspect_ratio: aspectRatio,
    resolution,
    quality,
    output_format: outputFormat,
  } = input;
  if (prompt === undefined || prompt === null)
    return { ok: false, msg: 'input.prompt is required' };
  if (typeof prompt !== 'string') return { ok: false, msg: 'input.prompt must be a string' };
  if (prompt.trim() === '') return { ok: false, msg: 'input.prompt must not be empty' };
  if (countCharacters(prompt) > MAX_PROMPT_CHARS) {
    return { ok: false, msg: `input.prompt must be at most ${MAX_PROMPT_CHARS} characters` };
  }
  if (aspectRatio !== undefined && !(ASPECT_RATIOS as readonly unknown[]).includes(aspectRatio)) {
    return { ok: false, msg: `input.aspect_ratio must be one of: ${ASPECT_RATIOS.join(', ')}` };
  }
  if (resolution !== undefined && !(RESOLUTIONS as readonly unknown[]).includes(resolution)) {
    return { ok: false, msg: `input.resolution must be one of: ${RESOLUTIONS.join(', ')}` };
  }
  if (quality !== undefined && typeof quality !== 'string')
    return { ok: false, msg: 'input.quality must be a string' };
  if (outputFormat !== undefined && typeof outputFormat !== 'string') {
    return { ok: false, msg: 'input.output_format must be a string' };
  }
  return { ok: true, input: input as TaskInput };
}

function countCharacters(text: string): number {
  // Counting code points only matters when surrogate pairs could push the UTF-16 length over the limit.
  return text.length <= MAX_PROMPT_CHARS ? text.length : Array.from(text).length;
}

function scheduledEnd(task: SimulatedTask): number {
  return task.createdAt + task.durationMs;
}

function parseFaultKind(kind: unknown): FaultKind {
  if (!isPlainObject(kind)) throw new Error('fault.kind must be an object');
  const optionalMsg = (): { msg?: string } => {
    if (kind.msg === undefined) return {};
    if (typeof kind.msg !== 'string') throw new Error('fault.kind.msg must be a string');
    return { msg: kind.msg };
  };
  switch (kind.type) {
    case 'status': {
      if (typeof kind.status !== 'number' || !FAULT_STATUSES.has(kind.status)) {
        throw new Error(`fault.kind.status must be one of ${[...FAULT_STATUSES].join(', ')}`);
      }
      if (
        kind.retryAfter !== undefined &&
        !(typeof kind.retryAfter === 'number' && kind.retryAfter >= 0)
      ) {
        throw new Error('fault.kind.retryAfter must be a non-negative number of seconds');
      }
      return {
        type: 'status',
        status: kind.status as FaultStatus,
        ...optionalMsg(),
        ...(kind.retryAfter === undefined ? {} : { retryAfter: kind.retryAfter }),
      };
    }
    case 'bodyCode':
      if (!Number.isInteger(kind.code)) throw new Error('fault.kind.code must be an integer');
      return { type: 'bodyCode', code: kind.code as number, ...optionalMsg() };
    case 'html':
      if (
        kind.status !== undefined &&
        !(Number.isInteger(kind.status) && (kind.status as number) >= 200)
      ) {
        throw new Error('fault.kind.status must be an HTTP status code');
      }
      return kind.status === undefined
        ? { type: 'html' }
        : { type: 'html', status: kind.status as number };
    case 'delay':
      if (typeof kind.ms !== 'number' || !(kind.ms >= 0) || !Number.isFinite(kind.ms)) {
        throw new Error('fault.kind.ms must be a non-negative number');
      }
      return { type: 'delay', ms: kind.ms };
    case 'truncated':
    case 'hang':
    case 'reset':
    case 'garbage-result':
    case 'no-urls':
      return { type: kind.type };
    default:
      throw new Error(
        'fault.kind.type must be one of status, bodyCode, html, truncated, hang, delay, reset, garbage-result, no-urls',
      );
  }
}

function classifyEndpoint(pathname: string): SimulatedEndpoint {
  if (pathname === CREATE_TASK_PATH) return 'createTask';
  if (pathname === RECORD_INFO_PATH) return 'recordInfo';
  if (CDN_PATH.test(pathname)) return 'cdn';
  return 'unknown';
}

function jsonResponse(status: number, payload: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

function successResponse(data: unknown): SimResponse {
  return jsonResponse(200, { code: 200, msg: 'success', data });
}

function errorResponse(status: number, msg?: string): SimResponse {
  return jsonResponse(status, { code: status, msg: msg ?? defaultMessage(status) });
}

function defaultMessage(code: number): string {
  return DEFAULT_MESSAGE_BY_STATUS[code] ?? 'Request failed';
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
  };
  return titles[status] ?? 'Error';
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

async function readBody(req: IncomingMessage): Promise<{ body: Buffer | null; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // Keep draining an oversized body so the connection stays usable, but stop buffering it.
    if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { body: chunks.length > 0 ? Buffer.concat(chunks) : null, tooLarge };
}
