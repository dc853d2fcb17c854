import type { JobStore } from '../core/jobs.js';

/**
 * Runs a generation's start once per request id. Adapters post a status message before core
 * records the job, so a redelivered interaction arriving meanwhile must be dropped here, and one
 * arriving later finds the job already recorded.
 */
export async function startOnce(
  inFlight: Set<string>,
  jobs: Pick<JobStore, 'get'>,
  requestId: string,
  start: () => Promise<void>,
): Promise<void> {
  if (inFlight.has(requestId)) return;
  inFlight.add(requestId);
  try {
    if (await jobs.get(requestId)) return;
    await start();
  } finally {
    inFlight.delete(requestId);
  }
}
