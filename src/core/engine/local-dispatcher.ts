import type { Logger } from '../logger.js';
import type { JobStore } from '../jobs.js';
import { ShutdownError, type JobDispatcher } from './dispatcher.js';

/** One process owns every job: new jobs run here, and on start the unfinished ones resume here. */
export class LocalDispatcher implements JobDispatcher {
  private run: ((requestId: string) => Promise<void>) | undefined;
  /** Jobs accepted before start (an interaction that came in as the bot was starting): run at start. */
  private early: string[] = [];

  constructor(
    private readonly jobs: Pick<JobStore, 'listActive'>,
    private readonly logger: Logger,
  ) {}

  async start(run: (requestId: string) => Promise<void>): Promise<void> {
    this.run = run;
    const unfinished = await this.jobs.listActive();
    // Jobs whose task exists resume first: they hold API task slots, which the line must count
    // before it gives a slot to a waiting job (each job's record is read back in launch order).
    const withTaskFirst = [...unfinished].sort((a, b) => Number(!a.taskId) - Number(!b.taskId));
    for (const job of withTaskFirst) this.launch(job.requestId);
    const early = this.early.filter((id) => !unfinished.some((job) => job.requestId === id));
    this.early = [];
    for (const requestId of early) this.launch(requestId);
    if (unfinished.length > 0)
      this.logger.info({ jobs: unfinished.length }, 'resumed unfinished jobs');
  }

  dispatch(requestId: string): Promise<void> {
    if (this.run) this.launch(requestId);
    else this.early.push(requestId);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.run = undefined;
    return Promise.resolve();
  }

  private launch(requestId: string): void {
    if (!this.run) throw new Error('the dispatcher has not been started');
    this.run(requestId).catch((error: unknown) => {
      if (!(error instanceof ShutdownError))
        this.logger.error({ err: error, requestId }, 'job runner failed');
    });
  }
}
