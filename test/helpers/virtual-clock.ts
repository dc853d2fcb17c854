import type { Clock } from '../../src/core/clock.js';
import { MinHeap } from '../../src/core/heap.js';

interface Timer {
  at: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to, so poller behaviour over minutes or hours can be replayed
 * in milliseconds and asserted exactly.
 */
export class VirtualClock implements Clock {
  private current: number;
  private order = 0;
  private readonly timers = new MinHeap<Timer>(
    (a, b) => a.at < b.at || (a.at === b.at && a.order < b.order),
  );

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: Timer = {
      at: this.current + Math.max(0, ms),
      order: this.order++,
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    if (handle) (handle as Timer).cancelled = true;
  }

  /** Runs every timer due up to `until`, letting promise callbacks settle between them. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers.peek();
      if (!next || next.at > until) break;
      this.timers.pop();
      if (next.cancelled) continue;
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = Math.max(this.current, until);
    await settle();
  }

  async advanceBy(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }
}

async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++)
    await new Promise<void>((resolve) => setImmediate(resolve));
}
