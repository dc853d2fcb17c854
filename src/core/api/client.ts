import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { silentLogger, type Logger } from '../logger.js';
import { parseRetryAfter, type BackoffPolicy } from '../backoff.js';
import { retry } from '../retry.js';
import type { GenerationOptions } from '../options.js';
import type { ApiEndpoint, CoreObserver } from '../observer.js';
import type { ApiBudget, BudgetPermit } from '../budget/api-budget.js';
import { ApiError, kindForStatus } from './errors.js';
import type { RateLimitNotice } from './limits.js';
import {
  createTaskDataSchema,
  envelopeSchema,
  rateLimitDataSchema,
  taskRecordSchema,
} from './schema.js';

export const MODEL_ID = 'gpt-image-2-text-to-image';
/** The model for generations that start from images (edit, vary, upscale, reference images). */
export const IMAGE_TO_IMAGE_MODEL_ID = 'gpt-image-2-image-to-image';
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface CreateTaskInput {
  prompt: string;
  options: Pick<GenerationOptions, 'aspectRatio' | 'resolution' | 'quality' | 'outputFormat'>;
  /** With any, the image-to-image model fetches these (public https URLs), in this order. */
  sourceUrls?: readonly string[];
}

export type TaskState = 'waiting' | 'success' | 'fail';

export interface TaskStatus {
  taskId: string;
  state: TaskState;
  /** The state exactly as the API named it, for logs when it is not one of the documented three. */
  rawState: string;
  resultUrls: string[];
  failCode: string | null;
  failMsg: string | null;
  costTimeMs: number | null;
  createTime: number | null;
  completeTime: number | null;
}

export interface RetryOptions extends BackoffPolicy {
  maxAttempts: number;
}

export interface ImageApiClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per call, from sending the request to the end of the body. */
  timeoutMs?: number;
  connections?: number;
  createRetry?: RetryOptions;
  logger?: Logger;
  random?: () => number;
  observer?: CoreObserver;
}

export interface CreateTaskContext {
  requestId: string;
  signal?: AbortSignal;
  /** Every attempt (retries too) waits for its place in the key's budget, and a 429 lowers it. */
  budget?: ApiBudget;
}

export interface GetTaskContext {
  signal?: AbortSignal;
  /** A place in the budget the caller already took; released when the answer arrives. */
  permit?: BudgetPermit;
}

export interface ImageApi {
  createTask(input: CreateTaskInput, context: CreateTaskContext): Promise<string>;
  getTask(taskId: string, context?: GetTaskContext): Promise<TaskStatus>;
}

export const DEFAULT_CREATE_RETRY: RetryOptions = { maxAttempts: 6, baseMs: 500, capMs: 15_000 };

export class ImageApiClient implements ImageApi {
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly timeoutMs: number;
  private readonly createRetry: RetryOptions;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(private readonly options: ImageApiClientOptions) {
    const base = new URL(options.baseUrl);
    this.pathPrefix = base.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.createRetry = options.createRetry ?? DEFAULT_CREATE_RETRY;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.pool = new Pool(base.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  /**
   * Creates a task, retrying transient failures with the same X-Request-ID so the API answers a
   * retry with the task it already made: one logical request never becomes two tasks or two charges.
   */
  async createTask(input: CreateTaskInput, context: CreateTaskContext): Promise<string> {
    const body = JSON.stringify(createTaskBody(input));
    return retry(() => this.createTaskOnce(body, context), {
      policy: this.createRetry,
      maxAttempts: this.createRetry.maxAttempts,
      random: this.random,
      ...(context.signal ? { signal: context.signal } : {}),
      retryable: (error) =>
        error instanceof ApiError && error.retryable ? { afterMs: error.retryAfterMs } : false,
      onRetry: (error, attempt, delayMs) => {
        const apiError = error as ApiError;
        this.options.observer?.apiRetry?.('createTask', apiError.kind);
        this.logger.warn(
          {
            requestId: context.requestId,
            kind: apiError.kind,
            status: apiError.status,
            attempt,
            delayMs,
          },
          'createTask failed; retrying with the same X-Request-ID',
        );
      },
    });
  }

  /** One createTask call in its place in the budget; every failure as an ApiError. */
  private async createTaskOnce(body: string, context: CreateTaskContext): Promise<string> {
    try {
      const permit = await context.budget?.acquire('createTask', context.signal);
      const data = await this.call(
        'createTask',
        {
          method: 'POST',
          path: '/api/v1/jobs/createTask',
          body,
          headers: { 'content-type': 'application/json', 'x-request-id': context.requestId },
          ...(context.signal ? { signal: context.signal } : {}),
        },
        permit,
        context.budget,
      );
      const parsed = createTaskDataSchema.safeParse(data);
      if (!parsed.success)
        throw new ApiError('malformed_response', 'createTask answered success without a taskId');
      return parsed.data.taskId;
    } catch (error) {
      throw toApiError(error);
    }
  }

  async getTask(taskId: string, context: GetTaskContext = {}): Promise<TaskStatus> {
    const data = await this.call(
      'recordInfo',
      {
        method: 'GET',
        path: `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`,
        ...(context.signal ? { signal: context.signal } : {}),
      },
      context.permit,
    );
    const parsed = taskRecordSchema.safeParse(data);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new ApiError(
        'malformed_response',
        `recordInfo for ${taskId} is not the documented shape (${detail})`,
      );
    }
    const record = parsed.data;
    const state: TaskState =
      record.state === 'success' || record.state === 'fail' ? record.state : 'waiting';
    if (state === 'success' && !record.resultJson) {
      throw new ApiError(
        'malformed_response',
        `recordInfo for ${taskId} says success but has no resultJson`,
      );
    }
    return {
      taskId: record.taskId,
      state,
      rawState: record.state,
      resultUrls: record.resultJson?.resultUrls ?? [],
      failCode: record.failCode,
      failMsg: record.failMsg ?? null,
      costTimeMs: record.costTime ?? null,
      createTime: record.createTime ?? null,
      completeTime: record.completeTime ?? null,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** One call inside its place in the budget: the place is held until the answer is in. */
  private async call(
    endpoint: ApiEndpoint,
    request: Parameters<ImageApiClient['exchange']>[1],
    permit?: BudgetPermit,
    budget?: ApiBudget,
  ): Promise<unknown> {
    const started = performance.now();
    try {
      const data = await this.exchange(endpoint, request);
      this.options.observer?.apiCall?.(endpoint, performance.now() - started, undefined);
      return data;
    } catch (error) {
      const apiError = toApiError(error);
      this.options.observer?.apiCall?.(endpoint, performance.now() - started, apiError.kind);
      if (apiError.kind === 'rate_limited') budget?.rateLimited(endpoint, noticeOf(apiError));
      throw apiError;
    } finally {
      permit?.release();
    }
  }

  /** One HTTP exchange: returns the envelope's `data` when both HTTP and the body say success. */
  private async exchange(
    endpoint: ApiEndpoint,
    request: {
      method: 'GET' | 'POST';
      path: string;
      body?: string;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    },
  ): Promise<unknown> {
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        method: request.method,
        path: this.pathPrefix + request.path,
        headers: {
          ...request.headers,
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
        },
        body: request.body ?? null,
        signal,
      });
    } catch (error) {
      throw toApiError(error, timeout.aborted);
    }
    let text: string;
    try {
      text = await readBounded(response.body, MAX_RESPONSE_BYTES);
    } catch (error) {
      throw toApiError(error, timeout.aborted);
    }
    const status = response.statusCode;
    const log = {
      endpoint,
      status,
      ms: Math.round(performance.now() - started),
      requestId: request.headers?.['x-request-id'],
    };
    this.logger.debug(log, `image API ${endpoint} answered ${status}`);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);

    const envelope = parseEnvelope(text);
    if (status >= 400) {
      const apiMessage = envelope?.msg ?? undefined;
      throw new ApiError(
        kindForStatus(status),
        `${endpoint} answered HTTP ${status}${describeBody(envelope, text)}`,
        {
          status,
          ...(apiMessage ? { apiMessage } : {}),
          ...rateLimitExtras(status, envelope?.data, retryAfterMs),
        },
      );
    }
    if (!envelope) {
      throw new ApiError(
        'malformed_response',
        `${endpoint} answered HTTP ${status} with a body that is not the documented JSON${describeBody(undefined, text)}`,
        { status },
      );
    }
    if (envelope.code !== 200) {
      const apiMessage = envelope.msg ?? undefined;
      throw new ApiError(
        kindForStatus(envelope.code),
        `${endpoint} answered code ${envelope.code}: ${apiMessage ?? 'no message'}`,
        {
          status: envelope.code,
          ...(apiMessage ? { apiMessage } : {}),
          ...rateLimitExtras(envelope.code, envelope.data, retryAfterMs),
        },
      );
    }
    return envelope.data;
  }
}

/**
 * Retry-After (header) and, on a 429, what its body says about the key's limits; the body's
 * `retryAfter` stands in when the header is missing.
 */
function rateLimitExtras(
  status: number,
  data: unknown,
  headerRetryAfterMs: number | undefined,
): { retryAfterMs?: number; rateLimit?: RateLimitNotice } {
  const parsed = status === 429 ? rateLimitDataSchema.safeParse(data) : undefined;
  const body = parsed?.success ? parsed.data : {};
  const rateLimit: RateLimitNotice = {
    ...(body.retryAfter !== undefined ? { retryAfterSeconds: body.retryAfter } : {}),
    ...(body.limit !== undefined ? { limit: body.limit } : {}),
    ...(body.tier !== undefined ? { tier: body.tier.toLowerCase() } : {}),
    ...(body.windowSeconds !== undefined ? { windowSeconds: body.windowSeconds } : {}),
  };
  const retryAfterMs =
    headerRetryAfterMs ??
    (rateLimit.retryAfterSeconds !== undefined ? rateLimit.retryAfterSeconds * 1000 : undefined);
  return {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(status === 429 ? { rateLimit } : {}),
  };
}

/** What a 429 tells the budget: its body's figures, and how long to wait however that was said. */
export function noticeOf(error: ApiError): RateLimitNotice {
  return {
    ...error.rateLimit,
    ...(error.retryAfterMs !== undefined ? { retryAfterSeconds: error.retryAfterMs / 1000 } : {}),
  };
}

/**
 * The createTask body. With sources, the image-to-image model gets the list under both
 * `image_urls` and `input_urls`: the API's pages disagree on the field's name, and the same list
 * under both satisfies either reading.
 */
export function createTaskBody(input: CreateTaskInput): { model: string; input: ApiInput } {
  const sourceUrls = input.sourceUrls ?? [];
  if (sourceUrls.length === 0) return { model: MODEL_ID, input: toApiInput(input) };
  return {
    model: IMAGE_TO_IMAGE_MODEL_ID,
    input: { ...toApiInput(input), image_urls: [...sourceUrls], input_urls: [...sourceUrls] },
  };
}

type ApiInput = Record<string, string | string[]>;

function toApiInput(input: CreateTaskInput): Record<string, string> {
  const apiInput: Record<string, string> = {
    prompt: input.prompt,
    resolution: input.options.resolution,
  };
  if (input.options.aspectRatio) apiInput.aspect_ratio = input.options.aspectRatio;
  if (input.options.quality) apiInput.quality = input.options.quality;
  if (input.options.outputFormat) apiInput.output_format = input.options.outputFormat;
  return apiInput;
}

function parseEnvelope(text: string) {
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function describeBody(
  envelope: { msg?: string | null | undefined } | undefined,
  text: string,
): string {
  if (envelope?.msg) return `: ${envelope.msg}`;
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  if (snippet === '') return ' with an empty body';
  return /^<(!doctype|html)/i.test(snippet)
    ? ' with an HTML page instead of JSON'
    : ` with body "${snippet}"`;
}

async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new ApiError('malformed_response', `response larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toApiError(error: unknown, timedOut = false): ApiError {
  if (error instanceof ApiError) return error;
  if (
    timedOut ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new ApiError('timeout', 'the image API did not answer in time', { cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new ApiError('network', 'the request was cancelled', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('network', `could not reach the image API: ${message}`, { cause: error });
}
