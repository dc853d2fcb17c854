import { describe, expect, it } from 'vitest';
import { PacedDelivery } from '../src/conversation/delivery.js';
import { ImageDownloadError } from '../src/core/fetch/download-error.js';
import { downloadFailureOf } from '../src/core/images.js';
import { DeliveryError, type JobRecord, type JobView } from '../src/core/types.js';
import { RecordingDelivery } from './helpers/recording-delivery.js';

function job(requestId: string): JobRecord {
  return {
    requestId,
    user: { key: 'test:alice', displayName: 'Alice' },
    prompt: 'a red fox',
    options: { resolution: '1K', private: false },
    target: { platform: 'test' },
    cost: 1,
    state: 'waiting',
    createdAt: 0,
    updatedAt: 0,
  };
}

const generating = (elapsedMs: number): JobView => ({ kind: 'generating', elapsedMs });
const done: JobView = {
  kind: 'done',
  imageUrls: ['https://img/1.png'],
  costTimeMs: 1,
  elapsedMs: 9,
};

function paced(intervalMs: number) {
  let now = 0;
  const platform = new RecordingDelivery();
  const delivery = new PacedDelivery(platform, { progressIntervalMs: intervalMs, now: () => now });
  return {
    platform,
    delivery,
    advance: (ms: number) => (now += ms),
    kinds: () => platform.shown.map((entry) => `${entry.requestId}:${entry.view.kind}`),
  };
}

describe('progress pacing, the same for every platform', () => {
  it('shows at most one progress view per job per interval, each job on its own', async () => {
    const bed = paced(3_000);
    await bed.delivery.show(job('a'), generating(1_000));
    await bed.delivery.show(job('b'), generating(1_000));
    bed.advance(2_999);
    await bed.delivery.show(job('a'), generating(4_000));
    bed.advance(1);
    await bed.delivery.show(job('a'), generating(5_000));
    expect(bed.kinds()).toEqual(['a:generating', 'b:generating', 'a:generating']);
  });

  it('never holds back the result, and a later job with the same id starts unpaced', async () => {
    const bed = paced(3_000);
    await bed.delivery.show(job('a'), generating(1_000));
    await bed.delivery.show(job('a'), done);
    await bed.delivery.show(job('a'), generating(0));
    expect(bed.kinds()).toEqual(['a:generating', 'a:done', 'a:generating']);
  });

  it("waits out a platform's rate limit before showing progress again", async () => {
    const bed = paced(1_000);
    bed.platform.failNext.push(new DeliveryError('RATE_LIMITED', 'slow down', 10_000));
    await expect(bed.delivery.show(job('a'), generating(0))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    bed.advance(9_000);
    await bed.delivery.show(job('a'), generating(9_000));
    expect(bed.kinds()).toEqual([]);
    bed.advance(1_000);
    await bed.delivery.show(job('a'), generating(10_000));
    expect(bed.kinds()).toEqual(['a:generating']);
  });
});

describe('a result that could not be fetched, mapped once for every platform', () => {
  it('is tried again when the failure may pass (timeout), and keeps the cause', async () => {
    const bed = paced(0);
    const cause = new ImageDownloadError('timed out', 'timeout');
    bed.platform.failNext.push(cause);
    const error: unknown = await bed.delivery.show(job('a'), done).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);
    expect(downloadFailureOf(error)).toBe(cause);
  });

  it('is not retried when the host said the image is not there (404)', async () => {
    const bed = paced(0);
    bed.platform.failNext.push(new ImageDownloadError('HTTP 404', 'http_status'));
    const error: unknown = await bed.delivery.show(job('a'), done).catch((e: unknown) => e);
    expect((error as DeliveryError).code).toBe('PERMANENT');
    expect(downloadFailureOf(error)?.reason).toBe('http_status');
  });
});
