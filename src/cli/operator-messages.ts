import { ApiError } from '../core/api/errors.js';
import type {
  CreateTaskContext,
  CreateTaskInput,
  GetTaskContext,
  ImageApi,
  TaskStatus,
} from '../core/api/client.js';
import type { JobView } from '../core/types.js';
import { systemErrorCode } from '../startup-failure.js';

/**
 * The terminal command's exit codes, one per kind of failure an operator acts on differently.
 * Documented in README.md and in `--help`.
 */
export const EXIT_CODES = {
  saved: 0,
  /** Anything else: the task timed out, the image could not be saved, an unexpected error. */
  failed: 1,
  /** Bad arguments or configuration; nothing was sent to the API. */
  usage: 2,
  /** The API rejected AIGPTIMAGE_API_KEY (401/403). */
  keyRejected: 3,
  /** The API account has no credits left (402). */
  noCredits: 4,
  /** The API could not be reached, or kept failing (network error, timeout, 5xx). */
  unreachable: 5,
  /** The API refused the prompt or the options (a failed task's failMsg, or 400/422). */
  refused: 6,
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes: 0 saved; 1 other failure (timed out, could not save); 2 bad arguments or configuration;
3 AIGPTIMAGE_API_KEY rejected; 4 no credits left on the API account; 5 API unreachable or failing;
6 prompt or options refused by the API; 130 interrupted.`;

export interface OperatorVerdict {
  exitCode: number;
  /** One line for the operator: what happened and what to do, never the chat user's wording. */
  line: string;
}

/**
 * The core turns API errors into words for chat users ("the bot operator has been told"). The
 * terminal's reader is the operator, so it keeps the last API error itself to say what to fix.
 */
export class ApiErrorRecorder implements ImageApi {
  lastError: ApiError | undefined;

  constructor(private readonly inner: ImageApi) {}

  createTask(input: CreateTaskInput, context: CreateTaskContext): Promise<string> {
    return this.watch(this.inner.createTask(input, context));
  }

  getTask(taskId: string, context?: GetTaskContext): Promise<TaskStatus> {
    return this.watch(this.inner.getTask(taskId, context));
  }

  /** Only an error with no success after it explains the outcome. */
  private watch<T>(call: Promise<T>): Promise<T> {
    return call.then(
      (answer) => {
        this.lastError = undefined;
        return answer;
      },
      (error: unknown) => {
        if (error instanceof ApiError) this.lastError = error;
        throw error;
      },
    );
  }
}

/** What the API's answer means for the operator, or undefined when it was not an API error. */
export function explainApiError(error: ApiError, baseUrl: string): OperatorVerdict | undefined {
  switch (error.kind) {
    case 'unauthorized':
      return {
        exitCode: EXIT_CODES.keyRejected,
        line: `The image API rejected the key (${error.status ?? 401}): check AIGPTIMAGE_API_KEY (in .env or the environment) against the API Keys page of aigptimage.com.`,
      };
    case 'insufficient_credits':
      return {
        exitCode: EXIT_CODES.noCredits,
        line: `The image API account has no credits left (${error.status ?? 402}): top up the balance on aigptimage.com, then try again.`,
      };
    case 'network':
    case 'timeout':
      return {
        exitCode: EXIT_CODES.unreachable,
        line: `Could not reach the image API at ${baseUrl} (${systemErrorCode(error) ?? error.message}): check this machine's network and DNS, and AIGPTIMAGE_BASE_URL if you use a proxy.`,
      };
    case 'server_error':
    case 'malformed_response':
      return {
        exitCode: EXIT_CODES.unreachable,
        line: `The image API at ${baseUrl} kept failing (${error.status ?? error.message}): try again in a few minutes; check AIGPTIMAGE_BASE_URL if you use a proxy.`,
      };
    case 'invalid_request':
      return {
        exitCode: EXIT_CODES.refused,
        line: `The image API refused the request (${error.status ?? 400}): ${error.apiMessage ?? error.message}. Change the prompt or options and try again.`,
      };
    default:
      return undefined;
  }
}

/** The operator's reading of a generation that ended without an image. */
export function explainFailedView(
  view: Extract<JobView, { kind: 'failed' }>,
  taskId: string | undefined,
): OperatorVerdict {
  if (view.failMsg && view.code === 'edit_failed') {
    return {
      exitCode: EXIT_CODES.refused,
      line: `The image API could not make the image from its source: ${view.failMsg}${view.failCode ? ` (failCode ${view.failCode})` : ''}. Check that every --image is reachable by the API (a local file needs PUBLIC_URL to reach this machine's HTTP_PORT) and try again.`,
    };
  }
  if (view.failMsg) {
    return {
      exitCode: EXIT_CODES.refused,
      line: `The image API refused the prompt: ${view.failMsg}${view.failCode ? ` (failCode ${view.failCode})` : ''}. Reword the prompt and try again.`,
    };
  }
  const task = taskId ? ` (task ${taskId})` : '';
  if (view.code === 'generation_timed_out')
    return {
      exitCode: EXIT_CODES.failed,
      line: `The task did not finish in time${task}; the API may still complete it. Try again later.`,
    };
  if (view.code === 'result_unavailable')
    return {
      exitCode: EXIT_CODES.failed,
      line: `The image was generated${task} but could not be downloaded from its URL; if AIGPTIMAGE_BASE_URL or FETCH_ALLOW_HOSTS point at a private address, check them.`,
    };
  return { exitCode: EXIT_CODES.failed, line: `The generation failed (${view.code})${task}.` };
}
