import type { Conversation } from '../../conversation/index.js';
import type { GenerationService } from '../../core/generation-service.js';
import type { Logger } from '../../log.js';
import type { SlackApi } from './slack-api.js';
import type { UserLocales } from './user-locales.js';

/** What the Slack listeners and renderings work with: the conversation decides, these show. */
export interface SlackContext {
  conversation: Conversation;
  /** Public reads only: the modal's costs and App Home's credits and history. */
  service: Pick<GenerationService, 'costOf' | 'status' | 'history'>;
  slack: SlackApi;
  logger: Logger;
  /** SLACK_ADMIN_USERS: members with the admin commands besides workspace admins and owners. */
  adminUsers: ReadonlySet<string>;
  /** Each person's language, from users.info (cached), DEFAULT_LOCALE when unknown. */
  locales: UserLocales;
}
