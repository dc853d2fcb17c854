import { downloadDeliveryError, downloadFailureOf } from '../core/images.js';
import {
  DeliveryError,
  type Delivery,
  type DeliveryProgress,
  type JobRecord,
  type JobView,
} from '../core/types.js';
import { ProgressPacer } from './pacing.js';

export interface PacedDeliveryOptions {
  /** At most one progress view per job this often (default 5 s). */
  progressIntervalMs?: number;
  now?: () => number;
}

/**
 * What every platform's Delivery gets from the conversation layer, so no adapter repeats it:
 * progress paced per job, a platform's rate limit holding further progress back, and one mapping
 * of a result that could not be fetched (a transient failure is tried again, anything else is
 * told to the requester, who is refunded).
 */
export class PacedDelivery implements Delivery {
  private readonly pacer: ProgressPacer;

  constructor(
    private readonly platform: Delivery,
    options: PacedDeliveryOptions = {},
  ) {
    this.pacer = new ProgressPacer(options.progressIntervalMs ?? 5_000, options.now);
  }

  async show(job: JobRecord, view: JobView, progress?: DeliveryProgress): Promise<void> {
    const final = view.kind === 'done' || view.kind === 'failed';
    if (!final && !this.pacer.tryClaim(job.requestId)) return;
    try {
      await this.platform.show(job, view, progress);
    } catch (error) {
      const failure = downloadFailureOf(error);
      const mapped = failure ? downloadDeliveryError(failure) : error;
      if (!final && mapped instanceof DeliveryError && mapped.code === 'RATE_LIMITED')
        this.pacer.holdFor(job.requestId, mapped.retryAfterMs ?? 0);
      throw mapped;
    } finally {
      if (final) this.pacer.forget(job.requestId);
    }
  }
}
