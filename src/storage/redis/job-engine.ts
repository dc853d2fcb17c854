import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.js';
import { isConnectionError, type StoreOutage } from '../../core/store-outage.js';
import { ShutdownError, type JobDispatcher } from '../../core/engine/dispatcher.js';

export interface BullDispatcherOptions {
  redisUrl: string;
  /** Separates this bot's queue from others on the same Redis. */
  prefix: string;
  logger: Logger;
  /** Where lost connections are reported, so an outage is logged once, not per connection. */
  outage: StoreOutage;
  /** Jobs one replica works at once; each mostly waits on timers, so this can be large. */
  concurrency?: number;
  /** A dead replica's jobs move to another after about this long (see JOB_ENGINE_TIMING). */
  lockDurationMs?: number;
}

/**
 * Measured takeover of a SIGKILLed replica's job is the lock's remaining life plus up to one
 * stalled-job check: at most lockDuration + stalledInterval (10 s here; 46–61 s with BullMQ's
 * 30 s defaults). A live replica keeps its lock as long as its event loop never stalls for longer
 * than lockDuration - renewal interval (6 s); README "Running several replicas" has the trade-off.
 */
export const JOB_ENGINE_TIMING = {
  /** How long a job's lock lives unless renewed. */
  lockMs: 8_000,
  /** Each held lock is renewed every 1–2 s (BullMQ checks at half this and renews what is due). */
  renewMs: 2_000,
  /** One stalled-job check per queue this often, whichever replica runs it. */
  stalledCheckMs: 2_000,
  /**
   * An idle worker's wait for new jobs is cut at this many seconds (BullMQ's default is 5). A job
   * handed back on SIGTERM wakes the waiting workers, but the leaving worker may take that wake-up
   * itself, and then the others would only look again after this long.
   */
  idleWaitSeconds: 1,
} as const;

interface GenerationJobData {
  requestId: string;
}

const QUEUE_NAME = 'generations';
const LOST_LOCK = /could not renew lock|Missing lock for job/;

/**
 * Spreads jobs over replicas with BullMQ: each job is held by one worker under a lock that the
 * worker keeps renewing; when a replica dies the lock lapses, BullMQ marks the job stalled and
 * another replica's worker runs it from the state recorded in the job store.
 */
export class BullDispatcher implements JobDispatcher {
  private readonly queueConnection: Redis;
  private readonly queue: Queue<GenerationJobData>;
  private worker: Worker<GenerationJobData> | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: BullDispatcherOptions) {
    this.queueConnection = this.connect('job queue');
    this.queue = new Queue<GenerationJobData>(QUEUE_NAME, {
      connection: this.queueConnection,
      prefix: this.bullPrefix(),
    });
    this.queue.on('error', (error) => this.onError('job queue', error));
  }

  async start(run: (requestId: string) => Promise<void>): Promise<void> {
    const lockDuration = this.options.lockDurationMs ?? JOB_ENGINE_TIMING.lockMs;
    const connection = this.connect('job worker');
    this.workerConnection = connection;
    this.worker = new Worker<GenerationJobData>(
      QUEUE_NAME,
      async (job: Job<GenerationJobData>, token?: string) => {
        try {
          await run(job.data.requestId);
        } catch (error) {
          if (error instanceof ShutdownError && token) {
            // Hand the job straight back instead of waiting for the lock to lapse.
            await job.moveToDelayed(Date.now(), token);
            throw new DelayedError();
          }
          throw error;
        }
      },
      {
        connection,
        prefix: this.bullPrefix(),
        concurrency: this.options.concurrency ?? 2_000,
        drainDelay: JOB_ENGINE_TIMING.idleWaitSeconds,
        lockDuration,
        lockRenewTime: Math.min(JOB_ENGINE_TIMING.renewMs, Math.floor(lockDuration / 2)),
        stalledInterval: Math.min(
          JOB_ENGINE_TIMING.stalledCheckMs,
          Math.max(500, Math.floor(lockDuration / 2)),
        ),
        // A job outlives any number of replica deaths; only our own code decides it has failed.
        maxStalledCount: 1_000,
      },
    );
    this.worker.on('failed', (job, error) =>
      this.options.logger.error(
        { requestId: job?.data.requestId, err: error.message },
        'job engine: job failed',
      ),
    );
    this.worker.on('error', (error) => this.onError('job worker', error));
    this.worker.on('lockRenewalFailed', (jobIds: string[]) =>
      this.options.logger.warn(
        { jobs: jobIds },
        `lost the job engine's lock on ${jobIds.length} job(s): this process was stalled or cut off from Redis for longer than the ${lockDuration / 1000} s lock, so another replica may work them too (the task is not created twice; a result may be shown twice)`,
      ),
    );
    await this.worker.waitUntilReady();
  }

  async dispatch(requestId: string): Promise<void> {
    await this.queue.add(
      'generate',
      { requestId },
      {
        // BullMQ refuses numeric custom ids (Discord ids are digits), and ':' separates its keys.
        jobId: `gen-${requestId.replace(/:/g, '_')}`,
        attempts: 5,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    // BullMQ closes the connections it made itself, not the ones handed to it.
    for (const connection of [this.workerConnection, this.queueConnection]) {
      await connection?.quit().catch(() => connection.disconnect());
    }
  }

  private connect(role: string): Redis {
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.options.outage.report(role, error));
    connection.on('ready', () => this.options.outage.reconnected());
    return connection;
  }

  /** Lost connections are the outage tracker's to log; anything else is news of its own. */
  private onError(role: string, error: Error): void {
    if (isConnectionError(error) || this.options.outage.unreachable)
      this.options.outage.report(role, error);
    // A lost lock is logged once per renewal (lockRenewalFailed), not again for each of its jobs.
    else if (LOST_LOCK.test(error.message))
      this.options.logger.debug({ err: error.message }, `${role} error`);
    else this.options.logger.warn({ err: error.message }, `${role} error`);
  }

  private bullPrefix(): string {
    return `${this.options.prefix}bull`;
  }
}
