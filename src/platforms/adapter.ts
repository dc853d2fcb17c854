import type { Config } from '../config.js';
import type { EditingSupport, OperatorControls } from '../conversation/context.js';
import type { GenerationService } from '../core/generation-service.js';
import type { Delivery } from '../core/types.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';

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

/** What the composition root gives every platform's adapter. */
export interface AdapterContext {
  config: Config;
  service: GenerationService;
  logger: Logger;
  http: HttpServer;
  /** Sources of edits and drafts of edits in progress, shared by every platform. */
  editing: EditingSupport;
  /** Server settings, the audit trail and the operator's defaults, shared by every platform. */
  controls: OperatorControls;
  /** No API key: the built-in simulated image API answers, and the playground says so. */
  simulatedImageApi?: boolean;
}
