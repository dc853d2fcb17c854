import type { GenerationOptions } from '../core/options.js';
import type { Locale } from '../i18n/index.js';

/**
 * What became of a generation request: let through (`accepted`), turned away before any task
 * (`refused`, with the catalogued reason), or finished (`succeeded`, or `failed` with its code).
 */
export type AuditOutcome = 'accepted' | 'refused' | 'succeeded' | 'failed';

/** One line of a workspace's audit trail. Plain data: it is stored, exported and charted as is. */
export interface AuditEvent {
  /** When it happened, in ms since the epoch. */
  at: number;
  outcome: AuditOutcome;
  /** Discord server or Slack workspace; absent in direct messages outside any. */
  workspaceId?: string;
  /** Absent in direct messages. */
  channelId?: string;
  userKey: string;
  userName: string;
  prompt: string;
  options: GenerationOptions;
  /** Names of the source images, in order (empty for text-to-image). */
  sources: string[];
  /** Credits the generation costs (charged when it succeeds; refunded when it fails). */
  cost: number;
  /** The interaction's id, shared by the accepted and finished events of one generation. */
  requestId: string;
  taskId?: string;
  /** For `failed`: the API's failCode, or our catalogued code when the API gave none. */
  failCode?: string;
  /** For `refused`: the catalogued refusal code (quota_exhausted, prompt_blocked, …). */
  reason?: string;
  /** For a blocked prompt: the rule that blocked it (`server: word`), for admins' eyes only. */
  rule?: string;
  /**
   * The server's or workspace's language when it happened, for the audit channel's line; absent in
   * records written before it was kept (their line is in the bot's DEFAULT_LOCALE).
   */
  placeLocale?: Locale;
}
