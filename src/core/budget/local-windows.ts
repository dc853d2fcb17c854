import type { ApiEndpointName, ApiLimits } from '../api/limits.js';
import { systemClock, type Clock } from '../clock.js';
import type { WindowBackend } from './api-budget.js';
import { forgetBefore, waitBeforeNextCall, type WindowRule } from './rate-window.js';

interface EndpointWindows {
  answered: number[];
  inFlight: Set<string>;
  pausedUntil: number;
}

/** The windows in this process's memory: the budget of a single process (embedded store). */
export class LocalWindows implements WindowBackend {
  readonly maxSleepMs = Number.POSITIVE_INFINITY;
  private readonly clock: Clock;
  private readonly endpoints: Record<ApiEndpointName, EndpointWindows> = {
    createTask: { answered: [], inFlight: new Set(), pausedUntil: 0 },
    recordInfo: { answered: [], inFlight: new Set(), pausedUntil: 0 },
  };

  private readonly guardMs: number | undefined;

  constructor(options: { clock?: Clock; guardMs?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.guardMs = options.guardMs;
  }

  take(endpoint: ApiEndpointName, rules: readonly WindowRule[], id: string): Promise<number> {
    const windows = this.endpoints[endpoint];
    const now = this.clock.now();
    if (windows.pausedUntil > now) return Promise.resolve(windows.pausedUntil - now);
    forgetBefore(windows.answered, now, rules, this.guardMs);
    const wait = waitBeforeNextCall(
      { answered: windows.answered, inFlight: windows.inFlight.size },
      now,
      rules,
      this.guardMs,
    );
    if (wait === 0) windows.inFlight.add(id);
    return Promise.resolve(wait);
  }

  settle(endpoint: ApiEndpointName, id: string, answered: boolean): Promise<void> {
    const windows = this.endpoints[endpoint];
    if (windows.inFlight.delete(id) && answered) windows.answered.push(this.clock.now());
    return Promise.resolve();
  }

  pause(endpoint: ApiEndpointName, ms: number): Promise<void> {
    const windows = this.endpoints[endpoint];
    windows.pausedUntil = Math.max(windows.pausedUntil, this.clock.now() + ms);
    return Promise.resolve();
  }

  lower(): Promise<void> {
    // The gate's own limits are the only copy in one process.
    return Promise.resolve();
  }

  lowered(current: ApiLimits): Promise<ApiLimits> {
    return Promise.resolve(current);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
