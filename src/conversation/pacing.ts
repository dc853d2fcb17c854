/**
 * At most one progress view per job per interval, so status edits stay within what every
 * platform tolerates (Discord's per-message edits, Slack's chat.update tier, a browser's
 * repaints). Final views are never held back: they are what the person is waiting for.
 */
export class ProgressPacer {
  private readonly lastShownAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Claims the slot for a progress view, or says to skip this one. */
  tryClaim(key: string): boolean {
    const now = this.now();
    const last = this.lastShownAt.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastShownAt.set(key, now);
    return true;
  }

  /** The platform said to wait: no progress view for this job before then. */
  holdFor(key: string, waitMs: number): void {
    this.lastShownAt.set(key, this.now() + waitMs - this.intervalMs);
  }

  /** The job reached its final view; nothing more to pace. */
  forget(key: string): void {
    this.lastShownAt.delete(key);
  }
}
