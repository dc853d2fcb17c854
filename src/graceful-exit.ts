import type { Logger } from 'pino';

/** Orchestrators (Docker, Kubernetes) send SIGKILL after a grace period; 10 s is within the usual ones. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export interface GracefulExitOptions {
  /** Stops everything: aborts calls in flight and hands jobs back. */
  stop: () => Promise<void>;
  logger: Logger;
  deadlineMs?: number;
}

/**
 * On SIGTERM or SIGINT: stop, then exit with 0; with 1 if stopping fails or outlasts the deadline
 * (every job is recorded in the store either way, so another replica or the next start carries on).
 */
export function exitGracefullyOnSignals({
  stop,
  logger,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
}: GracefulExitOptions): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedAt = Date.now();
    logger.info(
      { signal },
      'shutting down: calls in flight are aborted and jobs handed to another replica or the next start',
    );
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway (jobs are already recorded)');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    stop().then(
      () => {
        logger.info({ durationMs: Date.now() - startedAt }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
