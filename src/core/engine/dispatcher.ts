/**
 * Decides which process works which job. With one process that is always this one; with several
 * replicas a shared job engine hands each job to exactly one of them and, when a replica dies,
 * hands its jobs to another.
 */
export interface JobDispatcher {
  /** Hands a newly accepted job to whichever process will run it. */
  dispatch(requestId: string): Promise<void>;
  /**
   * Starts working jobs: `run` is called for each job this process should work, including any left
   * unfinished by a previous process, and resolves when that job has been delivered.
   */
  start(run: (requestId: string) => Promise<void>): Promise<void>;
  /** Stops taking jobs; jobs being worked are handed back for another process or the next start. */
  stop(): Promise<void>;
}

/** Thrown into a running job when this process stops, so the engine gives the job to another. */
export class ShutdownError extends Error {
  constructor() {
    super('this process is shutting down; the job continues elsewhere or on the next start');
    this.name = 'ShutdownError';
  }
}
