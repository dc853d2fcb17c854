import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ShutdownError, type JobDispatcher } from './dispatcher.js';

export interface BullDispatcherOptions {
  redisUrl: string;
  /** Separates this bot's queue from others on the same Redis. */
  prefix: string;
  logger: Logger;
  /** Jobs one replica works at once; each mostly waits on timers, so this can be large. */
  concurrency?: number;
  /** A dead replica's jobs move to another after about this long. */
  lockDurationMs?: number;
}

interface GenerationJobData {
  requestId: string;
}

const QUEUE_NAME = 'generations';

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
    this.queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.queueConnection.on('error', (error) =>
      options.logger.warn({ err: error.message }, 'Redis connection error (queue)'),
    );
    this.queue = new Queue<GenerationJobData>(QUEUE_NAME, {
      connection: this.queueConnection,
      prefix: this.bullPrefix(),
    });
  }

  async start(run: (requestId: string) => Promise<void>): Promise<void> {
    const lockDuration = this.options.lockDurationMs ?? 30_000;
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection = connection;
    connection.on('error', (error) =>
      this.options.logger.warn({ err: error.message }, 'Redis connection error (worker)'),
    );
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
        lockDuration,
        stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
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
    this.worker.on('error', (error) =>
      this.options.logger.warn({ err: error.message }, 'job engine worker error'),
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

  private bullPrefix(): string {
    return `${this.options.prefix}bull`;
  }
}
