import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TIER_LIMITS, type ApiLimits, type ApiTier } from '../core/api/limits.js';
import { MinHeap } from '../core/heap.js';
import { IMAGE_TO_IMAGE_MODEL_ID, validateCreateBody, type TaskInput } from './create-body.js';
import { derivedImage } from './derived-image.js';
import { simulatedImageAsync, type Resolution } from './png.js';
import type { SourceFetch } from './source-fetch.js';
import { SourceIntake } from './source-intake.js';
import { KeyRateLimits } from './rate-limits.js';
import {
  errorResponse,
  jsonResponse,
  readBody,
  singleHeader,
  successResponse,
  tryParseJson,
  type SimResponse,
} from './responses.js';

export { ASPECT_RATIOS, RESOLUTIONS, type AspectRatio, type Resolution } from './png.js';
export {
  IMAGE_MODEL_ID,
  IMAGE_TO_IMAGE_MODEL_ID,
  MAX_PROMPT_CHARS,
  MAX_SOURCE_URLS,
  type TaskInput,
} from './create-body.js';
export { MAX_SOURCE_BYTES, type SourceFetch } from './source-fetch.js';
export type { SimResponse } from './responses.js';

/**
 * The simulated AI GPT Image API the product runs when no key is configured (the playground), and
 * the base the tests' fake builds on: tasks and their durations, the key's credits, rate windows
 * and active-task limit, createTask/recordInfo answers as documented, and placeholder images.
 * Fault injection, request recording and control endpoints are the tests' (test/fakes/image-api/),
 * added through `SimulatorExtension`.
 */

export const CREDIT_COST_BY_RESOLUTION: Readonly<Record<Resolution, number>> = {
  '1K': 1,
  '2K': 2,
  '4K': 4,
};
export const CONTENT_POLICY_FAIL_CODE = '400';
/** A source the API could not fetch ends the task with this code (and a message naming the URL). */
export const SOURCE_FETCH_FAIL_CODE = '422';
export const CONTENT_POLICY_FAIL_MESSAGE =
  "Sorry, but the image we created may violate OpenAI's content policies.";

export type TaskState = 'waiting' | 'success' | 'fail';
export type TaskOutcome = 'success' | 'fail';
export type SimulatedEndpoint = 'createTask' | 'recordInfo' | 'cdn' | 'unknown';

export type TaskDuration = number | ((input: TaskInput, taskIndex: number) => number);

export interface SimulatedImageApiOptions {
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
  /**
   * Names of this machine besides loopback whose plain-http source URLs it fetches, asked at each
   * createTask: the address the bot's HTTP server is bound to when that is a LAN address, so the
   * playground's own uploads can be edited there too. The real API takes https only.
   */
  localHttpHosts?: () => readonly string[];
}

/** A request to the simulated API once its body is read. */
export interface SimulatedRequest {
  method: string;
  /** The request target as sent: path and query. */
  path: string;
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

/** One request and its response, as an extension sees it. */
export interface SimulatedExchange {
  readonly request: SimulatedRequest;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** What the simulator answers to this request (for a createTask, the task is created now). */
  answer(): Promise<SimResponse>;
  /** Writes a response, unless the connection is gone or already answered. */
  send(response: SimResponse): void;
}

/**
 * The extension point the tests' fake uses to add behaviour around the product's answers, so the
 * product carries none of it.
 */
export interface SimulatorExtension {
  /**
   * Sees each request first. Returns true when it has taken the response over (answered it, will
   * answer it later, or dropped the connection); false lets the simulator answer as usual.
   */
  intercept(exchange: SimulatedExchange): boolean | Promise<boolean>;
  /** The result URL a finished task reports; undefined keeps the simulator's own CDN. */
  resultUrl?(task: SimulatedTask): string | undefined;
  /** Lets go of what the extension still holds (timers, open responses) as the simulator closes. */
  close?(): void;
}

export interface SimulatedTask {
  readonly taskId: string;
  /** 0-based creation order, as passed to a taskDurationMs function. */
  readonly index: number;
  readonly key: string;
  readonly requestId: string | undefined;
  readonly model: string;
  readonly input: TaskInput;
  /** Image-to-image: the source URLs it was given (the first list present), in order. */
  readonly sourceUrls: readonly string[];
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
  /** Image-to-image: its sources are still being fetched, so it is `waiting` whatever the clock says. */
  fetchingSources: boolean;
  /** Why it failed, when not for the content policy (a source that could not be fetched). */
  failure?: { code: string; msg: string };
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

export interface SimulatedApiState {
  url: string;
  createdTaskCount: number;
  taskStates: Record<TaskState, number>;
  /** Requests refused with 429 for going over the tier's windows (only when a tier is enforced). */
  rateLimited?: Record<'createTask' | 'recordInfo', number>;
  /** Balance per key that has been used; null means unlimited. */
  credits: Record<string, number | null>;
}

export interface SimulatedImageApi {
  /** Origin, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly tasks: Map<string, SimulatedTask>;
  readonly createdTaskCount: number;
  /** createTask calls answered 409: the key already had its active-task limit of tasks waiting. */
  readonly activeTaskRefusals: number;
  /** Source images fetched for image-to-image tasks, in the order the fetches ended (the latest 10,000). */
  readonly sourceFetches: readonly SourceFetch[];
  credits(key: string): number;
  setCredits(key: string, credits: number): void;
  taskState(taskId: string): TaskState | undefined;
  /** Ends a waiting task now. Throws for unknown or already finished tasks. */
  finishTask(taskId: string, outcome: TaskOutcome): void;
  /** Changes the duration of tasks created from now on. */
  setTaskDuration(duration: TaskDuration): void;
  /** The image URL recordInfo reports for the task once it has succeeded. */
  resultUrlOf(task: SimulatedTask): string;
  stats(): SimulatedApiState;
  close(): Promise<void>;
}

export async function startSimulatedImageApi(
  options: SimulatedImageApiOptions = {},
  extension?: SimulatorExtension,
): Promise<SimulatedImageApi> {
  const simulator = new SimulatedImageApiServer(options, extension);
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return simulator;
}

const DEFAULT_TASK_DURATION_MS = 200;
const DEFAULT_FAIL_MARKER = '[fail]';
const IMAGE_CACHE_MAX_BYTES = 256 * 1024 * 1024;
const CREATE_TASK_PATH = '/api/v1/jobs/createTask';
const RECORD_INFO_PATH = '/api/v1/jobs/recordInfo';
const CDN_PATH = /^\/cdn\/([^/]+)\/1\.png$/;

interface KeyAccount {
  balance: number;
  waitingCount: number;
  /** Tasks this key still counts as waiting, ordered by completesAt; settled entries are skipped lazily. */
  waitingQueue: MinHeap<SimulatedTask>;
}

class SimulatedImageApiServer implements SimulatedImageApi {
  readonly tasks = new Map<string, SimulatedTask>();
  private readonly server: Server;
  private readonly acceptKey: (key: string) => boolean;
  private readonly initialCredits: number;
  private readonly activeTaskLimit: number;
  private readonly failMarker: string;
  private readonly now: () => number;
  private readonly imageMinBytes: number | undefined;
  private readonly publicUrlOption: string | undefined;
  private readonly localHttpHosts: () => readonly string[];
  private taskDuration: TaskDuration;
  private readonly accounts = new Map<string, KeyAccount>();
  private readonly rateLimits: KeyRateLimits;
  private readonly taskIdByRequestId = new Map<string, string>();
  private refusedForActiveTasks = 0;
  private readonly sourceIntake = new SourceIntake();
  /** Tasks whose scheduled end passed while their sources were still being fetched. */
  private readonly endedWhileFetching = new Set<SimulatedTask>();
  private readonly imageCache = new Map<string, { image: Promise<Buffer>; bytes: number }>();
  private imageCacheBytes = 0;
  private origin = '';
  private listeningPort = 0;
  private closing: Promise<void> | null = null;

  constructor(
    options: SimulatedImageApiOptions,
    private readonly extension: SimulatorExtension | undefined,
  ) {
    this.acceptKey = options.acceptKey ?? ((key) => key.startsWith('sk-') && key !== 'sk-invalid');
    this.initialCredits = options.credits ?? Infinity;
    const limits =
      typeof options.limits === 'string' ? TIER_LIMITS[options.limits] : options.limits;
    this.activeTaskLimit = options.activeTaskLimit ?? limits?.activeTasks ?? Infinity;
    this.rateLimits = new KeyRateLimits(limits);
    this.failMarker = options.failMarker ?? DEFAULT_FAIL_MARKER;
    this.now = options.now ?? Date.now;
    this.imageMinBytes = options.imageMinBytes;
    this.publicUrlOption = options.publicUrl?.replace(/\/+$/, '');
    this.localHttpHosts = options.localHttpHosts ?? (() => []);
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

  get sourceFetches(): readonly SourceFetch[] {
    return this.sourceIntake.fetches;
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
    task.fetchingSources = false;
    this.settleTask(task, this.account(task.key));
  }

  setTaskDuration(duration: TaskDuration): void {
    this.taskDuration = duration;
  }

  stats(): SimulatedApiState {
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
      ...(this.rateLimits.enforced ? { rateLimited: { ...this.rateLimits.refused } } : {}),
      credits,
    };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.sourceIntake.close();
      this.extension?.close?.();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  resultUrlOf(task: SimulatedTask): string {
    return (
      this.extension?.resultUrl?.(task) ??
      `${this.publicUrlOption ?? this.origin}/cdn/${task.taskId}/1.png`
    );
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = this.now();
    const path = req.url ?? '/';
    const url = new URL(path, 'http://simulator.invalid');
    const { body: rawBody, tooLarge } = await readBody(req);
    const bodyText = rawBody?.toString('utf8') ?? '';
    const request: SimulatedRequest = {
      method: req.method ?? 'GET',
      path,
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
    if (this.extension) {
      const exchange: SimulatedExchange = {
        request,
        req,
        res,
        answer: async () => this.respond(request),
        send: (response) => this.send(res, response),
      };
      if (await this.extension.intercept(exchange)) return;
    }
    this.send(res, await this.respond(request));
  }

  private respond(request: SimulatedRequest): Promise<SimResponse> | SimResponse {
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

  private authenticate(request: SimulatedRequest): { key: string } | { error: SimResponse } {
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
    request: SimulatedRequest,
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

  private createTask(request: SimulatedRequest): SimResponse {
    const auth = this.admit(request, 'createTask');
    if ('error' in auth) return auth.error;
    if (request.bodyTooLarge) return errorResponse(413);
    if (!/^application\/json\b/i.test(request.contentType ?? '')) {
      return errorResponse(400, 'Content-Type must be application/json');
    }
    const parsed = request.parsedBody;
    if (!parsed.ok) return errorResponse(400, 'Request body must be valid JSON');
    const validation = validateCreateBody(parsed.value, this.localHttpHosts());
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

    const task = this.createTaskRecord(key, request.requestId, validation, parsed.value, cost);
    account.balance -= cost;
    account.waitingCount++;
    account.waitingQueue.push(task);
    if (idempotencyKey !== undefined) this.taskIdByRequestId.set(idempotencyKey, task.taskId);
    if (task.fetchingSources) void this.fetchSources(task);
    return successResponse({ taskId: task.taskId });
  }

  private createTaskRecord(
    key: string,
    requestId: string | undefined,
    { model, input, sourceUrls }: { model: string; input: TaskInput; sourceUrls: string[] },
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
      model,
      input,
      sourceUrls,
      param: JSON.stringify(body),
      createdAt,
      durationMs,
      cost,
      outcome: input.prompt.includes(this.failMarker) ? 'fail' : 'success',
      completesAt: createdAt + durationMs,
      settled: false,
      fetchingSources: sourceUrls.length > 0,
    };
    this.tasks.set(task.taskId, task);
    return task;
  }

  private findVisibleTask(
    request: SimulatedRequest,
  ): { task: SimulatedTask } | { error: SimResponse } {
    const auth = this.admit(request, 'recordInfo');
    if ('error' in auth) return auth;
    const taskId = request.url.searchParams.get('taskId');
    if (!taskId) return { error: errorResponse(400, 'taskId is required') };
    const task = this.tasks.get(taskId);
    if (!task || task.key !== auth.key) return { error: errorResponse(404, 'Task not found') };
    return { task };
  }

  private recordInfo(request: SimulatedRequest): SimResponse {
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
      resultJson: succeeded ? JSON.stringify({ resultUrls: [this.resultUrlOf(task)] }) : null,
      failCode: state === 'fail' ? (task.failure?.code ?? CONTENT_POLICY_FAIL_CODE) : null,
      failMsg: state === 'fail' ? (task.failure?.msg ?? CONTENT_POLICY_FAIL_MESSAGE) : null,
      costTime: succeeded ? Math.round(task.completesAt - task.createdAt) : null,
      completeTime: succeeded ? Math.round(task.completesAt) : null,
      createTime: Math.round(task.createdAt),
    };
  }

  private async cdn(request: SimulatedRequest): Promise<SimResponse> {
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
    // An edit's picture is its own source's: never the text-to-image one of the same prompt.
    if (task.model === IMAGE_TO_IMAGE_MODEL_ID) {
      return this.cachedImage(`edit\u0000${task.taskId}`, () =>
        Promise.resolve(
          derivedImage({
            prompt,
            aspectRatio,
            resolution,
            source: this.sourceIntake.pictureOf(task.taskId),
          }),
        ),
      );
    }
    const cacheKey = `${aspectRatio ?? 'auto'}\u0000${resolution ?? '1K'}\u0000${prompt}`;
    return this.cachedImage(cacheKey, () =>
      simulatedImageAsync({ prompt, aspectRatio, resolution, minBytes: this.imageMinBytes }),
    );
  }

  private cachedImage(cacheKey: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.imageCache.get(cacheKey);
    if (cached) {
      // Re-insert to keep Map order as least-recently-used first.
      this.imageCache.delete(cacheKey);
      this.imageCache.set(cacheKey, cached);
      return cached.image;
    }
    const entry = { image: render(), bytes: 0 };
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
    if (task.fetchingSources) return 'waiting';
    return this.now() >= task.completesAt ? task.outcome : 'waiting';
  }

  /**
   * Fetches every source of an image-to-image task, as the API does before it starts: the first
   * that fails ends the task with the API's 422-style message, and its credits come back.
   */
  private async fetchSources(task: SimulatedTask): Promise<void> {
    // Never left waiting: whatever goes wrong here ends the task as a failed fetch.
    const failMsg = await this.sourceIntake
      .fetchAll(task.taskId, task.sourceUrls, this.localHttpHosts())
      .catch((error: unknown) => `Failed to fetch the source images: ${String(error)}`);
    const ended = this.endedWhileFetching.delete(task);
    // Ended by hand (finishTask) while its sources were coming in: that outcome stands.
    if (!task.fetchingSources) return;
    task.fetchingSources = false;
    const account = this.account(task.key);
    if (failMsg) {
      task.outcome = 'fail';
      task.failure = { code: SOURCE_FETCH_FAIL_CODE, msg: failMsg };
      task.completesAt = Math.min(task.completesAt, this.now());
      this.settleTask(task, account);
    } else if (ended) {
      this.settleTask(task, account);
    }
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
      // Still fetching its sources: it settles once they are in (fetchSources).
      if (next.fetchingSources) this.endedWhileFetching.add(next);
      else if (!next.settled) this.settleTask(next, account);
    }
  }

  private settleTask(task: SimulatedTask, account: KeyAccount): void {
    if (task.settled) return;
    task.settled = true;
    account.waitingCount--;
    if (task.outcome === 'fail') account.balance += task.cost;
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

function scheduledEnd(task: SimulatedTask): number {
  return task.createdAt + task.durationMs;
}

function classifyEndpoint(pathname: string): SimulatedEndpoint {
  if (pathname === CREATE_TASK_PATH) return 'createTask';
  if (pathname === RECORD_INFO_PATH) return 'recordInfo';
  if (CDN_PATH.test(pathname)) return 'cdn';
  return 'unknown';
}
