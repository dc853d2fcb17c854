import type { Delivery } from '../core/types.js';

/**
 * A chat platform as the composition root sees it: something that turns its own events into
 * requests to the core, shows job views through its Delivery, and can be started and stopped.
 */
export interface PlatformAdapter {
  /** Matches `target.platform` of the jobs it creates. */
  readonly platform: string;
  readonly delivery: Delivery;
  start(): Promise<void>;
  /** Stop taking new commands and let acknowledgements in flight finish. */
  stop(): Promise<void>;
  /** Connected and able to take commands, for /readyz. */
  isReady(): boolean;
}
