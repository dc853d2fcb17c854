import type { GenerationService } from '../../core/generation-service.js';
import type { Logger } from '../../log.js';
import type { SlackDelivery } from './delivery.js';
import type { SlackApi } from './slack-api.js';

/** What every Slack command and interaction handler works with. */
export interface SlackContext {
  service: GenerationService;
  slack: SlackApi;
  delivery: SlackDelivery;
  logger: Logger;
  /** Request ids being started right now, so a redelivery racing the original posts nothing. */
  startsInFlight: Set<string>;
}
