import { unlimitedAbortController } from './shutdown-signal.js';
import { silentLogger, type Logger } from './logger.js';
import { ApiError, apiErrorToUserError } from './api/errors.js';
import type { ImageApi, TaskStatus } from './api/client.js';
import { TIER_LIMITS, type ApiLimits } from './api/limits.js';
import type { ApiBudget } from './budget/api-budget.js';
import type { BackoffPolicy } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import { ShutdownError, type JobDispatcher } from './engine/dispatcher.js';
import { isUserError, newCorrelationId, UserError } from './errors.js';
import { PerHostLimit } from './fetch/per-host-limit.js';
import { downloadFailureOf, ImageFetcher, type ImageDownloadError } from './images.js';
import { JobStore } from './jobs.js';
import { renderMessage } from './messages.js';
import { translate } from '../i18n/index.js';
import { KeyedMutex } from './mutex.js';
import type { CoreObserver } from './observer.js';
import { validateGenerationInput, type GenerationOptions } from './options.js';
import { Poller, type PollerOptions, type PollResult, type PollTarget } from './poller.js';
import { retry } from './retry.js';
import { QuotaService, type QuotaSettings, type QuotaStatus } from './quota.js';
import type { PoolStatus } from './budget-pools.js';
import { Semaphore } from './semaphore.js';
import type { Store } from './store.js';
import type { SlotLine } from './queue/slot-line.js';
import { SubmissionQueue, type SubmitOutcome } from './submission-queue.js';
import { checkSources, sourceUrlsOf, type SourceLinks } from './source-links.js';
import {
  DeliveryError,
  TERMINAL_STATES,
  type Delivery,
  type DeliveryProgress,
  type DeliveryRecord,
  type GenerationRequest,
  type JobOutcome,
  type JobRecord,
  type JobState,
  type JobView,
  type PoolCharge,
} from './types.js';

export interface GenerationServiceOptions {
  api: ImageApi;
  store: Store;
  quota: QuotaSettings;
  deliveries?: Record<string, Delivery>;
  logger?: Logger;
  clock?: Clock;
  poller?: Omit<PollerOptions, 'api' | 'onProgress' | 'onResult' | 'clock' | 'logger'>;
  /**
   * The API key's request budget (src/core/budget), taken by every createTask attempt and every
   * poll; global across replicas on Redis. Without one, createTask is not paced and the poller
   * keeps its own per-process cap.
   */
  budget?: ApiBudget;
  /** The key's limits when no budget is given (the budget's own are used otherwise). */
  apiLimits?: ApiLimits;
  /** How hard to try showing a finished job before recording that it could not be shown. */
  deliveryRetry?: BackoffPolicy & { maxAttempts: number };
  /**
   * Finished images being shown at once. Showing one holds the whole image in memory (downloaded,
   * then uploaded), so without a limit 50 results of 8 MiB finishing together took the bot past
   * 1 GB of RSS; the others wait a moment for their turn.
   */
  maxConcurrentImageDeliveries?: number;
  /** Of those, at most this many for results from one host (default: all but one). */
  maxConcurrentImageDeliveriesPerHost?: number;
  /** Fetches result images (default: from public addresses only, nothing trusted). */
  fetcher?: ImageFetcher;
  /** Which process works which job; by default chosen from the store (Redis: shared engine). */
  dispatcher?: JobDispatcher;
  observer?: CoreObserver;
  /** Finished jobs and history are forgotten after this long; nothing grows without bound. */
  retentionMs?: number;
  /**
   * The line for the key's task slots (`activeTasks` of its limits): by default chosen from the
   * store (Redis: one line shared by every replica).
   */
  slotLine?: SlotLine;
  /**
   * Signs the URLs of sources the bot keeps itself (Slack files, uploads), asked when each task
   * is created. Without it, only jobs whose sources are public URLs can be submitted.
   */
  sourceLinks?: SourceLinks;
}

const SWEEP_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** On shutdown, how long a result already being shown may take before its job is handed back. */
const FINAL_DELIVERY_GRACE_MS = 4_000;

interface Completion {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface RequestResult {
  job: JobRecord;
  /** The same request id was seen before: nothing new was started or charged. */
  duplicate: boolean;
}

export interface UserStatus extends QuotaStatus {
  activeJobs: JobRecord[];
}

/**
 * The generation core: takes platform-neutral requests, reserves quota, creates and polls tasks,
 * and shows each state through the platform's Delivery. Knows nothing of any chat platform.
 */
export class GenerationService {
  readonly jobs: JobStore;
  readonly quota: QuotaService;
  readonly poller: Poller;
  /** The one fetcher for URLs someone else chose; adapters download results through it. */
  readonly fetcher: ImageFetcher;
  /** The key's limits (tier, both windows, active tasks), lowered in place when a 429 names less. */
  readonly apiLimits: ApiLimits;
  private readonly deliveries = new Map<string, Delivery>();
  private readonly active = new Map<string, JobRecord>();
  private readonly showLock = new KeyedMutex();
  /** Jobs this process is working, settled when each has been delivered. */
  private readonly completions = new Map<string, Completion>();
  private readonly dispatcher: JobDispatcher;
  private readonly queue: SubmissionQueue;
  private readonly pending = new Set<Promise<unknown>>();
  /** Shutdown for every call in flight: one listener per waiting call is expected, not a leak. */
  private readonly abort = unlimitedAbortController();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly deliveryRetry: BackoffPolicy & { maxAttempts: number };
  private readonly imageDeliveries: Semaphore;
  private readonly imageDeliveriesPerHost: PerHostLimit;
  private stopped = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: GenerationServiceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.deliveryRetry = options.deliveryRetry ?? { maxAttempts: 6, baseMs: 1_000, capMs: 30_000 };
    const imageSlots = options.maxConcurrentImageDeliveries ?? 4;
    this.imageDeliveries = new Semaphore(imageSlots);
    this.imageDeliveriesPerHost = new PerHostLimit(
      options.maxConcurrentImageDeliveriesPerHost ?? Math.max(1, imageSlots - 1),
    );
    this.fetcher = options.fetcher ?? new ImageFetcher();
    this.jobs = new JobStore(options.store, options.retentionMs);
    this.dispatcher =
      options.dispatcher ??
      options.store.createDispatcher({ jobs: this.jobs, logger: this.logger });
    this.quota = new QuotaService(
      options.store.namespace('quota'),
      options.quota,
      () => this.clock.now(),
      options.store.lock,
    );
    for (const [platform, delivery] of Object.entries(options.deliveries ?? {}))
      this.deliveries.set(platform, delivery);
    this.apiLimits =
      options.budget?.limits ?? options.apiLimits ?? structuredClone(TIER_LIMITS.basic);
    this.poller = new Poller({
      ...(options.observer ? { observer: options.observer } : {}),
      ...options.poller,
      ...(options.budget ? { budget: options.budget } : {}),
      api: options.api,
      clock: this.clock,
      logger: this.logger,
      onProgress: (target, ageMs) => this.onProgress(target, ageMs),
      onResult: (target, result) => this.background(this.onPollResult(target, result)),
    });
    this.queue = new SubmissionQueue({
      line: options.slotLine ?? options.store.createSlotLine(this.clock),
      // Read at every step: a 429 naming a smaller tier lowers it in place.
      limit: () => this.apiLimits.activeTasks,
      clock: this.clock,
      logger: this.logger,
      submit: (job) => this.submit(job),
      onPositions: (positions) => {
        for (const { job, position } of positions)
          this.showProgress(job, { kind: 'queued', position });
      },
    });
  }

  registerDelivery(platform: string, delivery: Delivery): void {
    this.deliveries.set(platform, delivery);
  }

  /** Starts working jobs, first those a previous process left unfinished: nothing accepted is dropped. */
  async start(): Promise<void> {
    if (!this.options.store.shared) {
      // This process is the only one: tasks left at the API hold their slots before any waiting job
      // resumes, since the resumed jobs' records are read back in no set order.
      for (const job of await this.jobs.listActive())
        if (job.state === 'waiting' && job.taskId) this.queue.hold(job);
    }
    await this.dispatcher.start((requestId) => this.runJob(requestId));
    const sweep = () =>
      this.jobs
        .sweepExpired()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'sweeping expired records failed'),
        );
    void sweep();
    this.sweepTimer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /**
   * Accepts a request: validates it, reserves its credits and records the job before anything is
   * sent. Throws a UserError when it cannot be accepted; creates nothing in that case.
   */
  async request(request: GenerationRequest): Promise<RequestResult> {
    if (this.stopped) throw new Error('the generation service is stopping');
    return this.options.store.lock.run(`request:${request.requestId}`, async () => {
      const existing =
        this.active.get(request.requestId) ?? (await this.jobs.get(request.requestId));
      if (existing) return { job: existing, duplicate: true };
      const { prompt, options } = validateGenerationInput({
        ...request.options,
        prompt: request.prompt,
      });
      if (request.sources) checkSources(request.sources);
      const cost = this.quota.costOf(options.resolution);
      try {
        await this.quota.reserve(
          request.user.key,
          request.requestId,
          cost,
          request.pools,
          request.roleAllowance,
        );
      } catch (error) {
        if (isUserError(error)) this.options.observer?.quotaRefused?.(error.code);
        throw error;
      }
      const now = this.clock.now();
      const job: JobRecord = {
        requestId: request.requestId,
        user: request.user,
        prompt,
        options,
        target: request.target,
        ...(request.sources ? { sources: request.sources } : {}),
        ...(request.derivedFrom ? { derivedFrom: request.derivedFrom } : {}),
        ...(request.pools?.length ? { pools: request.pools } : {}),
        ...(request.place ? { place: request.place } : {}),
        ...(request.locale ? { locale: request.locale } : {}),
        ...(request.placeLocale ? { placeLocale: request.placeLocale } : {}),
        cost,
        state: 'queued',
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.jobs.save(job);
      } catch (error) {
        await this.quota.refund(request.user.key, request.requestId, request.pools);
        throw error;
      }
      try {
        await this.dispatcher.dispatch(job.requestId);
      } catch (error) {
        // Not handed to any worker means nobody would ever run it: undo, and let the caller say so.
        await this.jobs
          .save({ ...job, state: 'failed', outcome: failure(new UserError('api_unavailable')) })
          .catch(() => undefined);
        await this.quota
          .refund(request.user.key, request.requestId, request.pools)
          .catch(() => undefined);
        throw error;
      }
      this.logger.info(
        {
          requestId: job.requestId,
          user: job.user.key,
          options,
          cost,
          ...(job.pools ? { pools: job.pools.map((pool) => `${pool.pool}/${pool.period}`) } : {}),
          // How many, never the URLs: a signed link is as good as the image to whoever reads it.
          ...(job.sources ? { sources: job.sources.length } : {}),
          ...(job.derivedFrom
            ? { derivedFrom: { kind: job.derivedFrom.kind, parentId: job.derivedFrom.parentId } }
            : {}),
        },
        'generation accepted',
      );
      return { job, duplicate: false };
    });
  }

  /**
   * Says at once whether a request would be refused (bad input, no credits, too many in flight)
   * without reserving anything, so an adapter can answer before it shows a status message.
   * `request` still decides: two requests racing past this check meet the reservation there.
   */
  async preflight(
    userKey: string,
    input: Pick<GenerationRequest, 'prompt' | 'options' | 'pools' | 'roleAllowance'>,
  ): Promise<void> {
    const { options } = validateGenerationInput({ ...input.options, prompt: input.prompt });
    try {
      await this.quota.check(
        userKey,
        this.quota.costOf(options.resolution),
        input.pools,
        input.roleAllowance,
      );
    } catch (error) {
      if (isUserError(error)) this.options.observer?.quotaRefused?.(error.code);
      throw error;
    }
  }

  /** The user's credits and jobs in flight, and what each of `pools` has left (for /quota). */
  /** `roleAllowance`: the user's daily credits from their roles here (see GenerationRequest). */
  async status(
    userKey: string,
    pools?: readonly PoolCharge[],
    roleAllowance?: number,
  ): Promise<UserStatus> {
    const quota = await this.quota.status(userKey, pools, roleAllowance);
    const lookups = quota.activeJobIds.map(
      async (id) => this.active.get(id) ?? (await this.jobs.get(id)),
    );
    const activeJobs = (await Promise.all(lookups)).filter(
      (job): job is JobRecord => job !== undefined,
    );
    return { ...quota, activeJobs };
  }

  /** A server's pools as they stand now (the settings an admin reads). */
  poolStatus(pools: readonly PoolCharge[]): Promise<PoolStatus[]> {
    return this.quota.poolStatus(pools);
  }

  /** A job by its request id, as this process last saw it or as the store has it. */
  async findJob(requestId: string): Promise<JobRecord | undefined> {
    return this.active.get(requestId) ?? (await this.jobs.get(requestId));
  }

  /** What a generation at this resolution costs in the bot's credits. */
  costOf(resolution: GenerationOptions['resolution']): number {
    return this.quota.costOf(resolution);
  }

  /** Sets a person's own daily allowance (an admin's override of QUOTA_DAILY_CREDITS). */
  setDailyCredits(userKey: string, credits: number): Promise<void> {
    return this.quota.setDailyCredits(userKey, credits);
  }

  history(userKey: string, limit = 10): Promise<JobRecord[]> {
    return this.jobs.recent(userKey, limit);
  }

  /** Jobs this process is working, by state, for the metrics gauge. */
  activeJobsByState(): Partial<Record<JobState, number>> {
    const counts: Partial<Record<JobState, number>> = {};
    for (const job of this.active.values()) counts[job.state] = (counts[job.state] ?? 0) + 1;
    return counts;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /**
   * Stops taking work, aborts the calls in flight and hands every job back to the job engine at
   * once, for another replica or the next start (each job's record says where it stands). Only a
   * result already being shown gets a moment to finish, so that it is not shown twice.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    this.abort.abort(new Error('shutting down'));
    // The engine takes no more jobs from now on; it has stopped once every job is handed back.
    const engineStopped = this.dispatcher.stop();
    // Awaited below; this only keeps an early failure from being reported as unhandled meanwhile.
    engineStopped.catch(() => undefined);
    this.handBack((job) => job.state !== 'delivering');
    await Promise.all([this.poller.stop(), this.queue.stop()]);
    if ([...this.active.values()].some((job) => job.state === 'delivering')) {
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise((resolve) => (graceTimer = setTimeout(resolve, FINAL_DELIVERY_GRACE_MS))),
      ]);
      clearTimeout(graceTimer);
    }
    this.handBack(() => true);
    await engineStopped;
  }

  /** Gives the chosen jobs back to the job engine; their records stay as they are. */
  private handBack(which: (job: JobRecord) => boolean): void {
    for (const [requestId, completion] of this.completions) {
      const job = this.active.get(requestId);
      if (job && !which(job)) continue;
      completion.reject(new ShutdownError());
      this.completions.delete(requestId);
    }
  }

  /** Works one job from wherever its record says it stands; resolves once it has been delivered. */
  private async runJob(requestId: string): Promise<void> {
    const running = this.completions.get(requestId);
    if (running) return running.promise;
    if (this.stopped) throw new ShutdownError();
    const job = this.active.get(requestId) ?? (await this.jobs.get(requestId));
    if (!job || TERMINAL_STATES.has(job.state)) return;
    let completion: Completion | undefined = this.completions.get(requestId);
    if (!completion) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
      });
      completion = { promise, resolve, reject };
      this.completions.set(requestId, completion);
      this.resume(job);
    }
    return completion.promise;
  }

  private resume(job: JobRecord): void {
    this.active.set(job.requestId, job);
    if (job.state === 'queued' || job.state === 'submitted') this.queue.add(job);
    else if (job.state === 'waiting' && job.taskId) {
      // Its task exists at the API, so it holds one of the key's slots wherever it is resumed.
      this.queue.hold(job);
      this.track(job);
    } else if (job.state === 'delivering' && job.outcome) {
      // A process that died between the task's end and freeing its slot: free it now.
      this.queue.release(job.requestId);
      this.background(this.deliverOutcome(job, job.outcome));
    }
  }

  private async submit(job: JobRecord): Promise<SubmitOutcome> {
    if (this.stopped) return 'failed';
    let current = await this.update(this.active.get(job.requestId) ?? job, { state: 'submitted' });
    try {
      // Signed now, not when the request came in: a job that waited in line or was resumed after a
      // restart still hands the API a link that has not expired.
      const sourceUrls = job.sources
        ? sourceUrlsOf(job.sources, job.requestId, this.options.sourceLinks)
        : undefined;
      const taskId = await this.options.api.createTask(
        { prompt: job.prompt, options: job.options, ...(sourceUrls ? { sourceUrls } : {}) },
        {
          requestId: job.requestId,
          signal: this.abort.signal,
          ...(this.options.budget ? { budget: this.options.budget } : {}),
        },
      );
      current = await this.update(current, {
        state: 'waiting',
        taskId,
        submittedAt: this.clock.now(),
      });
      this.logger.info({ requestId: job.requestId, taskId }, 'task created');
      this.showProgress(current, { kind: 'generating', elapsedMs: 0 });
      this.track(current);
      return 'accepted';
    } catch (error) {
      // A shutdown mid-call leaves the job "submitted"; the next start re-sends it with the same id.
      if (this.stopped) return 'failed';
      if (error instanceof ApiError && error.kind === 'active_task_limit') {
        this.logger.info(
          { requestId: job.requestId },
          'API answered 409 (active-task limit; is something else using this key?); job waits in line',
        );
        await this.update(current, { state: 'queued' });
        return 'busy';
      }
      await this.fail(current, error, 'createTask failed');
      return 'failed';
    }
  }

  private track(job: JobRecord): void {
    this.poller.track({
      requestId: job.requestId,
      taskId: job.taskId!,
      resolution: job.options.resolution,
      submittedAt: job.submittedAt ?? job.createdAt,
    });
  }

  private onProgress(target: PollTarget, ageMs: number): void {
    const job = this.active.get(target.requestId);
    if (!job) return;
    // Every poll's news goes out; the conversation layer paces what each platform shows.
    const elapsedMs = Math.max(ageMs, this.clock.now() - job.createdAt);
    this.showProgress(job, { kind: 'generating', elapsedMs });
  }

  private async onPollResult(target: PollTarget, result: PollResult): Promise<void> {
    const job = this.active.get(target.requestId);
    if (!job) return;
    this.queue.release(target.requestId);
    if (result.kind === 'finished') {
      await this.finish(job, outcomeOf(job, result.status));
    } else if (result.reason === 'deadline') {
      this.logger.warn(
        { requestId: job.requestId, taskId: job.taskId },
        'task did not finish before the deadline',
      );
      const minutes = Math.round((this.clock.now() - job.createdAt) / 60_000);
      await this.finish(
        job,
        failure(new UserError('generation_timed_out', { minutes: Math.max(1, minutes) })),
      );
    } else {
      await this.fail(job, result.error, 'recordInfo failed');
    }
  }

  /** Turns any error into the job's failure: a catalogued message, or a correlation id in both log and view. */
  private async fail(job: JobRecord, error: unknown, context: string): Promise<void> {
    if (error instanceof ApiError) {
      const log = {
        requestId: job.requestId,
        kind: error.kind,
        status: error.status,
        err: error.message,
      };
      if (error.operatorAction) this.logger.error(log, `${context}: ${error.operatorAction}`);
      else this.logger.warn(log, error.likelyCause ? `${context}: ${error.likelyCause}` : context);
      await this.finish(job, failure(apiErrorToUserError(error)));
    } else if (isUserError(error)) {
      await this.finish(job, failure(error));
    } else {
      const correlationId = newCorrelationId();
      this.logger.error({ requestId: job.requestId, correlationId, err: error }, context);
      await this.finish(job, failure(new UserError('internal', { correlationId })));
    }
  }

  /** Records the outcome first, settles the credits, then shows it; a crash at any point resumes here. */
  private async finish(job: JobRecord, outcome: JobOutcome): Promise<void> {
    const current = this.active.get(job.requestId) ?? job;
    if (current.state === 'delivering' || TERMINAL_STATES.has(current.state)) return;
    const delivering = await this.update(current, {
      state: 'delivering',
      outcome,
      finishedAt: this.clock.now(),
    });
    await this.deliverOutcome(delivering, outcome);
  }

  private async deliverOutcome(job: JobRecord, outcome: JobOutcome): Promise<void> {
    await this.durably('settle credits', () =>
      outcome.kind === 'success'
        ? this.quota.commit(job.user.key, job.requestId, job.pools)
        : this.quota.refund(job.user.key, job.requestId, job.pools),
    );
    const view: JobView =
      outcome.kind === 'success'
        ? {
            kind: 'done',
            imageUrls: outcome.imageUrls,
            costTimeMs: outcome.costTimeMs,
            elapsedMs: (job.finishedAt ?? this.clock.now()) - job.createdAt,
          }
        : { ...outcome, kind: 'failed', refunded: true };
    // In the history before it is shown, so whoever sees the result and asks /history finds it.
    await this.durably('record history', () =>
      this.options.store.lock.run(`history:${job.user.key}`, () =>
        this.jobs.addToHistory(job.user.key, job.requestId),
      ),
    );
    let shown: JobOutcome = outcome;
    let deliveryError = await this.showFinal(job, view);
    const unfetchable = downloadFailureOf(deliveryError);
    if (outcome.kind === 'success' && unfetchable && !this.stopped) {
      shown = failure(new UserError('result_unavailable'));
      deliveryError = await this.showUnavailable(job, unfetchable, shown);
    }
    this.options.observer?.delivered?.(!deliveryError);
    const finalState = shown.kind === 'success' ? 'done' : 'failed';
    this.options.observer?.jobFinished?.({ ...job, outcome: shown, state: finalState });
    // The latest record: it carries the delivery's steps, kept for whoever looks into the job.
    await this.update(this.active.get(job.requestId) ?? job, {
      state: finalState,
      ...(deliveryError ? { deliveryError: deliveryError.message } : {}),
    });
    this.active.delete(job.requestId);
    this.completions.get(job.requestId)?.resolve();
    this.completions.delete(job.requestId);
    this.logger.info(
      { requestId: job.requestId, outcome: shown.kind, delivered: !deliveryError },
      'job finished',
    );
  }

  /**
   * The API made the image, but it cannot be shown: its URL was refused (an internal address, not
   * an image, too large) or its host failed every try. The requester is told, never shown the
   * link, and gets the credits back, having received nothing (the operator's API credits are spent
   * either way). The new outcome is recorded first, so a restart shows the notice and cannot
   * refund twice.
   */
  private async showUnavailable(
    job: JobRecord,
    error: ImageDownloadError,
    outcome: Extract<JobOutcome, { kind: 'failure' }>,
  ): Promise<Error | undefined> {
    const hint =
      error.reason === 'forbidden_address'
        ? ' If that host is yours, add it to FETCH_ALLOW_HOSTS.'
        : '';
    this.logger.warn(
      { requestId: job.requestId, taskId: job.taskId, reason: error.reason },
      `result image not shown (${error.message}); the requester was told and refunded.${hint}`,
    );
    const recorded = await this.update(this.active.get(job.requestId) ?? job, {
      outcome,
      delivery: { steps: {} },
    });
    await this.durably('return credits', () =>
      this.quota.returnSpent(job.user.key, job.cost, job.createdAt, job.pools),
    );
    return this.showFinal(recorded, { ...outcome, kind: 'failed', refunded: true });
  }

  private showProgress(job: JobRecord, view: JobView): void {
    this.background(
      this.showLock.run(job.requestId, async () => {
        // A progress update that lost the race with the result must not overwrite it.
        const current = this.active.get(job.requestId);
        if (!current || current.state === 'delivering' || TERMINAL_STATES.has(current.state))
          return;
        try {
          await this.deliveryFor(job).show(current, view);
        } catch (error) {
          this.logger.debug(
            { requestId: job.requestId, err: error, view: view.kind },
            'progress update not shown',
          );
        }
      }),
    );
  }

  /**
   * Returns why the view could not be shown, or undefined once it was. Each attempt, and a
   * process resuming after a crash, continues the delivery recorded so far rather than starting
   * another: a result is shown once.
   */
  private showFinal(job: JobRecord, view: JobView): Promise<Error | undefined> {
    return this.showLock.run(job.requestId, async () => {
      const progress = this.deliveryProgress(job);
      if (progress.shown) return undefined;
      // Only an attempt holds an image slot, never the wait before a retry.
      const show = () => this.deliveryFor(job).show(job, view, progress);
      try {
        await retry(() => (view.kind === 'done' ? this.inImageSlot(view, show) : show()), {
          policy: this.deliveryRetry,
          maxAttempts: this.deliveryRetry.maxAttempts,
          retryable: (error) =>
            error instanceof DeliveryError && error.retryable && !this.stopped
              ? { afterMs: error.retryAfterMs }
              : false,
        });
        await progress.markShown();
        return undefined;
      } catch (error) {
        // An image that cannot be fetched is the caller's to explain, in one line.
        if (!downloadFailureOf(error)) {
          const correlationId = newCorrelationId();
          this.logger.error(
            { requestId: job.requestId, correlationId, err: error },
            'result could not be shown',
          );
        }
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /**
   * A finished image is shown in one of the image slots, taken only once its host has a place: a
   * result waiting on a busy host never holds a slot that another host's result could use.
   */
  private inImageSlot(view: Extract<JobView, { kind: 'done' }>, show: () => Promise<void>) {
    return this.imageDeliveriesPerHost.run(view.imageUrls[0] ?? '', () =>
      this.imageDeliveries.run(show),
    );
  }

  /** The job's delivery record, saved through the job record so a resumed job reads it back. */
  private deliveryProgress(job: JobRecord): DeliveryProgress & {
    readonly shown: boolean;
    markShown(): Promise<void>;
  } {
    let current = this.active.get(job.requestId) ?? job;
    const save = async (patch: Partial<DeliveryRecord>) => {
      current = this.active.get(job.requestId) ?? current;
      const delivery = current.delivery ?? { steps: {} };
      current = await this.update(current, { delivery: { ...delivery, ...patch } });
    };
    return {
      get steps() {
        return current.delivery?.steps ?? {};
      },
      get shown() {
        return current.delivery?.shown === true;
      },
      record: (steps) => save({ steps: { ...current.delivery?.steps, ...steps } }),
      markShown: () => save({ shown: true }),
    };
  }

  private deliveryFor(job: JobRecord): Delivery {
    const delivery = this.deliveries.get(job.target.platform);
    if (!delivery) throw new Error(`no delivery registered for platform "${job.target.platform}"`);
    return delivery;
  }

  private async update(job: JobRecord, patch: Partial<JobRecord>): Promise<JobRecord> {
    const next: JobRecord = { ...job, ...patch, updatedAt: this.clock.now() };
    await this.durably('save job', () => this.jobs.save(next));
    if (this.active.has(job.requestId)) this.active.set(job.requestId, next);
    if (job.state !== next.state) this.options.observer?.jobEntered?.(next.state);
    return next;
  }

  /**
   * Retries a write until the store takes it: a job whose state could not be recorded would be
   * lost or run twice, so a store outage (Redis restarting) pauses the job instead.
   */
  private async durably<T>(what: string, write: () => Promise<T>): Promise<T> {
    try {
      return await retry(write, {
        policy: { baseMs: 100, capMs: 5_000 },
        retryable: () => (this.stopped ? false : {}),
        onRetry: (error, attempt, delayMs) => {
          // However many jobs wait on an outage, the store's tracker logs it once (and its end).
          this.options.store.outage.report(what, error);
          this.logger.debug(
            { err: error, attempt, retryInMs: delayMs },
            `store unavailable; will ${what} again`,
          );
        },
      });
    } catch (error) {
      if (this.stopped) throw new ShutdownError();
      throw error;
    }
  }

  private background(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.error({ err: error }, 'background work failed'),
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

function outcomeOf(job: JobRecord, status: TaskStatus): JobOutcome {
  if (status.state === 'success')
    return { kind: 'success', imageUrls: status.resultUrls, costTimeMs: status.costTimeMs };
  // The API's words when it gave any; else ours, said in each reader's language.
  const given = status.failMsg ? withoutSignedLinks(status.failMsg, job) : null;
  const failMsg = given ?? translate('en', 'error.no_reason');
  // An edit most often fails on its source (gone, private), not on its prompt: say so.
  const code = job.sources?.length ? 'edit_failed' : 'generation_failed';
  return {
    kind: 'failure',
    code,
    message: renderMessage(code, { failMsg, failCode: status.failCode }),
    params: { failMsg: given, failCode: status.failCode ?? null },
    failCode: status.failCode,
    failMsg,
  };
}

/**
 * The API's words name the URL it could not fetch; for a source the bot kept, that is a signed
 * link of ours, which people need not see: its name says which image it was.
 */
function withoutSignedLinks(failMsg: string, job: JobRecord): string {
  const kept = (job.sources ?? []).filter((source) => source.hostedId);
  if (kept.length === 0) return failMsg;
  // A link ends before the punctuation that follows it (`…sig=abc: HTTP 404`).
  return failMsg.replace(/\S*\/sources\/\S*?(?=[.,;:!?)"']*(?:\s|$))/g, (link) => {
    const source = kept.find((entry) => link.includes(`/${entry.hostedId!}`));
    return `"${source?.name ?? 'the source image'}"`;
  });
}

function failure(error: UserError): Extract<JobOutcome, { kind: 'failure' }> {
  return {
    kind: 'failure',
    code: error.code,
    message: error.message,
    ...(Object.keys(error.params).length > 0 ? { params: error.params } : {}),
  };
}
