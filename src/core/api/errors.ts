import { UserError } from '../errors.js';
import type { RateLimitNotice } from './limits.js';

export type ApiErrorKind =
  | 'invalid_request'
  | 'unauthorized'
  | 'insufficient_credits'
  | 'not_found'
  | 'active_task_limit'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'malformed_response';

/** Errors worth another try with the same X-Request-ID; the API deduplicates so a retry never charges twice. */
const RETRYABLE: ReadonlySet<ApiErrorKind> = new Set([
  'rate_limited',
  'server_error',
  'network',
  'timeout',
  'malformed_response',
]);

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status, or the body's `code` when the API answered HTTP 200 with an error code. */
  readonly status: number | undefined;
  /** The API's own `msg`, shown to users only for invalid requests. */
  readonly apiMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** What a 429's body said about the key's limits. */
  readonly rateLimit: RateLimitNotice | undefined;

  constructor(
    kind: ApiErrorKind,
    detail: string,
    extra: {
      status?: number;
      apiMessage?: string;
      retryAfterMs?: number;
      rateLimit?: RateLimitNotice;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: extra.cause });
    this.name = 'ApiError';
    this.kind = kind;
    this.status = extra.status;
    this.apiMessage = extra.apiMessage;
    this.retryAfterMs = extra.retryAfterMs;
    this.rateLimit = extra.rateLimit;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Problems only the operator can fix; users get a neutral message while the log names the fix. */
  get operatorAction(): string | undefined {
    if (this.kind === 'unauthorized')
      return 'AIGPTIMAGE_API_KEY was rejected (401): check the key on the API Keys page';
    if (this.kind === 'insufficient_credits')
      return 'the API account is out of credits (402): top up the balance';
    return undefined;
  }

  /** For failures that outlasted the retries: what most likely happened, and what to check. */
  get likelyCause(): string | undefined {
    switch (this.kind) {
      case 'server_error':
        return `the image API kept failing on its side (${this.status ?? 'server error'}); if it lasts, check the API's status page`;
      case 'network':
        return 'the image API could not be reached: check AIGPTIMAGE_BASE_URL and this host’s network and DNS';
      case 'timeout':
        return 'the image API did not answer in time: check this host’s network to AIGPTIMAGE_BASE_URL; if it lasts, the API is slow on its side';
      case 'malformed_response':
        return 'the image API’s answer was not its JSON (an HTML page from a proxy?): check that AIGPTIMAGE_BASE_URL is the API’s own address';
      default:
        return undefined;
    }
  }
}

export function kindForStatus(status: number): ApiErrorKind {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 402) return 'insufficient_credits';
  if (status === 404) return 'not_found';
  if (status === 409) return 'active_task_limit';
  if (status === 429) return 'rate_limited';
  return 'server_error';
}

export function apiErrorToUserError(error: ApiError): UserError {
  switch (error.kind) {
    case 'invalid_request':
      return new UserError('api_invalid_request', {
        apiMessage: error.apiMessage ?? 'invalid parameters',
      });
    case 'unauthorized':
      return new UserError('api_unavailable_for_operator');
    case 'insufficient_credits':
      return new UserError('api_out_of_credits');
    case 'not_found':
      return new UserError('api_task_not_found');
    case 'active_task_limit':
      return new UserError('api_busy');
    case 'rate_limited':
      return new UserError('api_rate_limited', {
        retryAfterSeconds: (error.retryAfterMs ?? 30_000) / 1000,
      });
    case 'malformed_response':
      return new UserError('api_malformed');
    case 'server_error':
    case 'network':
    case 'timeout':
      return new UserError('api_unavailable');
  }
}
