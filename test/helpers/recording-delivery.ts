import type { Delivery, JobRecord, JobView } from '../../src/core/types.js';

export interface ShownView {
  requestId: string;
  view: JobView;
  job: JobRecord;
}

/** A Delivery that remembers everything it was asked to show, the way a chat message would. */
export class RecordingDelivery implements Delivery {
  readonly shown: ShownView[] = [];
  private waiters: Array<() => void> = [];
  /** Throw this from show() for the next calls, to test delivery retries. */
  failNext: Error[] = [];

  async show(job: JobRecord, view: JobView): Promise<void> {
    const failure = this.failNext.shift();
    if (failure) throw failure;
    this.shown.push({ requestId: job.requestId, view, job });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  finals(requestId?: string): ShownView[] {
    return this.shown.filter(
      (entry) =>
        (entry.view.kind === 'done' || entry.view.kind === 'failed') &&
        (!requestId || entry.requestId === requestId),
    );
  }

  viewsOf(requestId: string): JobView[] {
    return this.shown.filter((entry) => entry.requestId === requestId).map((entry) => entry.view);
  }

  /** Resolves with the final view of a request once shown; rejects after a timeout. */
  async waitForFinal(requestId: string, timeoutMs = 10_000): Promise<JobView> {
    return this.waitFor(
      () => this.finals(requestId)[0]?.view,
      timeoutMs,
      `final view of ${requestId}`,
    );
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
