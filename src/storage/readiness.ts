import type { StoreOutage } from '../core/store-outage.js';

/** Is the store answering? Answers within a second, also during an outage, and reports a silent store. */
export async function answersPing(outage: StoreOutage): Promise<boolean> {
  if (outage.unreachable) return false;
  const answering = await outage.answers();
  if (!answering) outage.report('readiness probe', new Error('the store did not answer a ping'));
  return answering;
}
