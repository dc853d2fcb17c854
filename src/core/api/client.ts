import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { silentLogger } from '../../log.js';
import { parseRetryAfter, retryDelay, sleep, type BackoffPolicy } from '../backoff.js';
import type { GenerationOptions } from '../options.js';
import type { ApiEndpoint, CoreObserver } from '../observer.js';
import { ApiError, kindForStatus } from './errors.js';
import { createTaskDataSchema, envelopeSchema, taskRecordSchema } from './schema.js';

export const MODEL_ID = 'gpt-image-2-text-to-image';
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface CreateTaskInput {
  prompt: string;
  options: Pick<GenerationOptions, 'aspectRatio' | 'resolution' | 'quality' | 'outputFormat'>;
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

export interface ImageApi {
  createTask(
    input: CreateTaskInput,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<string>;
  getTask(taskId: string, context?: { signal?: AbortSignal }): Promise<TaskStatus>;
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
  async createTask(
    input: CreateTaskInput,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<string> {
    const body = JSON.stringify({ model: MODEL_ID, input: toApiInput(input) });
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await this.call('createTask', {
          method: 'POST',
          path: '/api/v1/jobs/createTask',
          body,
          headers: { 'content-type': 'application/json', 'x-request-id': context.requestId },
          ...(context.signal ? { signal: context.signal } : {}),
        });
        const parsed = createTaskDataSchema.safeParse(data);
        if (!parsed.success)
          throw new ApiError('malformed_response', 'createTask answered success without a taskId');
        return parsed.data.taskId;
      } catch (error) {
        const apiError = toApiError(error);
        const lastAttempt = attempt + 1 >= this.createRetry.maxAttempts;
        if (!apiError.retryable || lastAttempt || context.signal?.aborted) throw apiError;
        const delay = retryDelay(attempt, this.createRetry, apiError.retryAfterMs, this.random);
        this.options.observer?.apiRetry?.('createTask', apiError.kind);
        this.logger.warn(
          {
            requestId: context.requestId,
            kind: apiError.kind,
            status: apiError.status,
            attempt: attempt + 1,
            delayMs: delay,
          },
          'createTask failed; retrying with the same X-Request-ID',
        );
        await sleep(delay, context.signal);
      }
    }
  }

  async getTask(taskId: string, context: { signal?: AbortSignal } = {}): Promise<TaskStatus> {
    const data = await this.call('recordInfo', {
      method: 'GET',
      path: `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`,
      ...(context.signal ? { signal: context.signal } : {}),
    });
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

  private async call(
    endpoint: ApiEndpoint,
    request: Parameters<ImageApiClient['exchange']>[1],
  ): Promise<unknown> {
    const started = performance.now();
    try {
      const data = await this.exchange(endpoint, request);
      this.options.observer?.apiCall?.(endpoint, performance.now() - started, undefined);
      return data;
    } catch (error) {
      const apiError = toApiError(error);
      this.options.observer?.apiCall?.(endpoint, performance.now() - started, apiError.kind);
      throw apiError;
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
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
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
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
      );
    }
    return envelope.data;
  }
}

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
