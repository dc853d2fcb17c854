import { ImageDownloadError, type DownloadFailure } from './download-error.js';

export interface TransferLimits {
  timeoutMs: number;
  minBytesPerSecond: number;
  slowWindowMs: number;
}

/**
 * Gives up on a download that takes too long in total, or whose host sends less than
 * `minBytesPerSecond` over any window of `slowWindowMs` (waiting for headers included): a host
 * dripping a byte a second is dropped after one window instead of holding on for the whole timeout.
 */
export class TransferWatch {
  private readonly controller = new AbortController();
  private readonly deadline: NodeJS.Timeout;
  private readonly pace: NodeJS.Timeout;
  private bytesThisWindow = 0;
  private reason: DownloadFailure | undefined;

  constructor(limits: TransferLimits) {
    this.deadline = setTimeout(() => this.stopWith('timeout'), limits.timeoutMs);
    const minimum = (limits.minBytesPerSecond * limits.slowWindowMs) / 1000;
    this.pace = setInterval(() => {
      if (this.bytesThisWindow < minimum) this.stopWith('too_slow');
      this.bytesThisWindow = 0;
    }, limits.slowWindowMs);
    this.deadline.unref();
    this.pace.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  progress(bytes: number): void {
    this.bytesThisWindow += bytes;
  }

  /** The error for a request or body that failed: ours when we stopped it, else the network's. */
  failure(error: unknown, what: string): ImageDownloadError {
    const detail = error instanceof Error ? error.message : String(error);
    if (this.reason === 'timeout')
      return new ImageDownloadError(`${what}: took too long`, 'timeout');
    if (this.reason === 'too_slow')
      return new ImageDownloadError(`${what}: the host sent too slowly`, 'too_slow');
    return new ImageDownloadError(`${what}: ${detail}`, 'network');
  }

  stop(): void {
    clearTimeout(this.deadline);
    clearInterval(this.pace);
  }

  private stopWith(reason: DownloadFailure): void {
    this.reason ??= reason;
    this.stop();
    this.controller.abort(new Error(reason === 'timeout' ? 'download timed out' : 'host too slow'));
  }
}
