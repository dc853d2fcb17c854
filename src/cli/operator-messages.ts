import { ApiError } from '../core/api/errors.js';
import type {
  CreateTaskContext,
  CreateTaskInput,
  GetTaskContext,
  ImageApi,
  TaskStatus,
} from '../core/api/client.js';
import type { JobView } from '../core/types.js';
import type { Translator } from '../i18n/index.js';
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
export function explainApiError(
  error: ApiError,
  baseUrl: string,
  t: Translator,
): OperatorVerdict | undefined {
  // Status codes and the API's own words are shown as they are, never as formatted numbers.
  const status = (fallback: number) => String(error.status ?? fallback);
  switch (error.kind) {
    case 'unauthorized':
      return {
        exitCode: EXIT_CODES.keyRejected,
        line: t('cli.keyRejected', { status: status(401) }),
      };
    case 'insufficient_credits':
      return {
        exitCode: EXIT_CODES.noCredits,
        line: t('cli.noCredits', { status: status(402) }),
      };
    case 'network':
    case 'timeout':
      return {
        exitCode: EXIT_CODES.unreachable,
        line: t('cli.unreachable', {
          baseUrl,
          reason: systemErrorCode(error) ?? error.message,
        }),
      };
    case 'server_error':
    case 'malformed_response':
      return {
        exitCode: EXIT_CODES.unreachable,
        line: t('cli.apiFailing', {
          baseUrl,
          reason: error.status === undefined ? error.message : String(error.status),
        }),
      };
    case 'invalid_request':
      return {
        exitCode: EXIT_CODES.refused,
        line: t('cli.requestRefused', {
          status: status(400),
          apiMessage: error.apiMessage ?? error.message,
        }),
      };
    default:
      return undefined;
  }
}

/** The operator's reading of a generation that ended without an image. */
export function explainFailedView(
  view: Extract<JobView, { kind: 'failed' }>,
  taskId: string | undefined,
  t: Translator,
): OperatorVerdict {
  // The API's failMsg is its own words: shown as it gave them, inside the sentence.
  const failCode = view.failCode ? t('cli.failCode', { failCode: String(view.failCode) }) : '';
  if (view.failMsg && view.code === 'edit_failed') {
    return {
      exitCode: EXIT_CODES.refused,
      line: t('cli.sourceFailed', { failMsg: view.failMsg, failCode }),
    };
  }
  if (view.failMsg) {
    return {
      exitCode: EXIT_CODES.refused,
      line: t('cli.promptRefused', { failMsg: view.failMsg, failCode }),
    };
  }
  const task = taskId ? t('cli.task', { taskId }) : '';
  if (view.code === 'generation_timed_out')
    return { exitCode: EXIT_CODES.failed, line: t('cli.timedOut', { task }) };
  if (view.code === 'result_unavailable')
    return { exitCode: EXIT_CODES.failed, line: t('cli.resultUnavailable', { task }) };
  return {
    exitCode: EXIT_CODES.failed,
    line: t('cli.generationFailed', { code: view.code, task }),
  };
}
