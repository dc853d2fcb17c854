/**
 * Keeps status edits to a message at a pace Discord tolerates: at most one non-final edit per
 * interval per message. Final views are never held back; they are what the user is waiting for.
 */
export class EditPacer {
  private readonly lastEditAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Claims the slot for a progress edit, or says to skip this one. */
  tryClaim(messageKey: string): boolean {
    const now = this.now();
    const last = this.lastEditAt.get(messageKey);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastEditAt.set(messageKey, now);
    return true;
  }

  /** Discord said to wait: no progress edit for this message before then. */
  holdFor(messageKey: string, waitMs: number): void {
    this.lastEditAt.set(messageKey, this.now() + waitMs - this.intervalMs);
  }

  /** The message reached its final state; nothing more to pace. */
  forget(messageKey: string): void {
    this.lastEditAt.delete(messageKey);
  }
}
