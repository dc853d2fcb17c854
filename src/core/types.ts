import type { GenerationOptions } from './options.js';

/** Who asked; `key` is unique across platforms (e.g. `discord:123`, `slack:T1:U2`) and keys quotas. */
export interface UserRef {
  key: string;
  /** Shown to people, e.g. in "requested by". */
  displayName: string;
}

/**
 * Where a job's messages go, as a small serializable record the adapter understands; core routes
 * on `platform` only.
 */
export interface DeliveryTarget {
  platform: string;
  [detail: string]: unknown;
}

/**
 * An image a generation starts from (image-to-image). Either the API fetches `url` as it is (a
 * public https URL: a Discord attachment, an API result, a link someone typed), or the bot keeps
 * the image (`hostedId`: a Slack file, an upload, a local file) and gives the API a signed,
 * short-lived URL of its own when the task is created.
 */
export interface ImageSource {
  url?: string;
  hostedId?: string;
  /** Shown to people: the file's name, or the last part of its URL. */
  name: string;
  /** A public URL people can open to see the source (thumbnail or link); absent for hosted ones. */
  previewUrl?: string;
}

/** How a generation came from an earlier result: the Edit, Vary and Upscale buttons. */
export interface Derivation {
  kind: 'edit' | 'vary' | 'upscale';
  /** The request id of the result it came from. */
  parentId: string;
  /** That result's prompt, for "edited from …" without reading the parent back. */
  parentPrompt: string;
}

/**
 * A shared allowance a generation is charged to besides its user's own: e.g. a Discord server's
 * or Slack workspace's credits for the UTC day or the UTC calendar month. The conversation decides
 * which pools apply and their limits; the core only enforces them.
 */
export interface PoolCharge {
  /** Names the pool across platforms, e.g. `server:discord:G1`; one record per pool and period. */
  pool: string;
  period: 'day' | 'month';
  /** Credits the pool may spend in one period. */
  limit: number;
}

export interface GenerationRequest {
  /** The interaction's own id; sent as X-Request-ID and keys the job, so redelivery never charges twice. */
  requestId: string;
  user: UserRef;
  prompt: string;
  options: GenerationOptions;
  target: DeliveryTarget;
  /** With any, the task uses the image-to-image model with these sources, in this order (1 to 3). */
  sources?: ImageSource[];
  derivedFrom?: Derivation;
  /** Pools charged with the user's allowance, all or nothing (none: only the user's). */
  pools?: PoolCharge[];
  /**
   * The user's daily credits from their roles (a server's role allowances), used when no per-user
   * override is set; absent: the operator's default.
   */
  roleAllowance?: number;
  /** Where it was asked, kept for the audit trail (neutral ids; the target stays the platform's). */
  place?: JobPlace;
  /**
   * The requester's language (a locale the bot speaks, e.g. `zh-CN`), kept on the job so its status,
   * result and failure speak it, even when delivered after a restart.
   */
  locale?: string;
  /** The server's or workspace's language, for what the job posts for everyone (shared notices). */
  placeLocale?: string;
}

/** The server or workspace and channel a generation was asked in; absent parts are unknown or none. */
export interface JobPlace {
  /** The platform-qualified server or workspace (`discord:G1`, `slack:T1`). */
  workspaceId?: string;
  channelId?: string;
}

export type JobState = 'queued' | 'submitted' | 'waiting' | 'delivering' | 'done' | 'failed';

export type JobOutcome =
  | { kind: 'success'; imageUrls: string[]; costTimeMs: number | null }
  | {
      kind: 'failure';
      /** A catalogued message code (core, conversation or platform). */
      code: string;
      /** In English; `params` says it again in the reader's language (failureText). */
      message: string;
      /** What the code's message takes (the API's failMsg, a correlation id…). */
      params?: Record<string, unknown>;
      failCode?: string | null;
      failMsg?: string | null;
    };

/**
 * A request as the core keeps it: all it was asked (its `pools` are those its credits were reserved
 * from, so settling them, even after a restart, hits the same) but the role allowance, which only
 * counts when it is charged; and how far it got.
 */
export interface JobRecord extends Omit<GenerationRequest, 'roleAllowance'> {
  cost: number;
  state: JobState;
  taskId?: string;
  createdAt: number;
  submittedAt?: number;
  finishedAt?: number;
  updatedAt: number;
  outcome?: JobOutcome;
  /** Set when the terminal view could not be shown even after retries, so operators can find it. */
  deliveryError?: string;
  /**
   * How far showing the final view got, saved before and after each outside call, so a process
   * that resumes the job finishes that delivery instead of showing the result a second time.
   */
  delivery?: DeliveryRecord;
}

/** Plain values a platform's delivery saves about its own progress: ids, flags, times. */
export type DeliverySteps = Record<string, string | number | boolean>;

export interface DeliveryRecord {
  /** What the platform's delivery recorded, in its own terms (upload and message ids, routes tried). */
  steps: DeliverySteps;
  /** The final view was shown in full: a resumed job only has its bookkeeping left to do. */
  shown?: boolean;
}

/**
 * A final view's delivery so far, across retries and restarts. A delivery reads `steps` to see
 * what earlier attempts did, and records a step durably before and after each call that changes
 * what people see, so a crash between the call and the record can be told apart on resume.
 */
export interface DeliveryProgress {
  readonly steps: Readonly<DeliverySteps>;
  /** Merges these steps into the job record; resolves once the store has them. */
  record(steps: DeliverySteps): Promise<void>;
}

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['done', 'failed']);

/** What a chat message should show for a job now; each adapter renders it its own way. */
export type JobView =
  | { kind: 'queued'; position: number | null }
  | { kind: 'generating'; elapsedMs: number }
  | { kind: 'done'; imageUrls: string[]; costTimeMs: number | null; elapsedMs: number }
  | {
      kind: 'failed';
      /** A catalogued message code (core, conversation or platform). */
      code: string;
      /** In English; failureText says it in the reader's language from `code` and `params`. */
      message: string;
      params?: Record<string, unknown>;
      failCode?: string | null;
      failMsg?: string | null;
      refunded: boolean;
    };

/** The port through which core shows a job's progress and result on a platform. */
export interface Delivery {
  /** `progress` comes with the final view (done or failed) only. */
  show(job: JobRecord, view: JobView, progress?: DeliveryProgress): Promise<void>;
}

export type DeliveryErrorCode = 'RATE_LIMITED' | 'TEMPORARY' | 'TARGET_GONE' | 'PERMANENT';

/** Adapters throw this so core knows whether, and when, showing a view is worth another try. */
export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }

  get retryable(): boolean {
    return this.code === 'RATE_LIMITED' || this.code === 'TEMPORARY';
  }
}
