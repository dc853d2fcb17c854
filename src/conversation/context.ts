import type { Logger } from '../core/logger.js';
import type { DownloadedImage } from '../core/images.js';
import type { KeyValues } from '../core/store.js';
import type { ImageSource } from '../core/types.js';
import type { SourceInput } from './interaction.js';
import type { GenerationService } from '../core/generation-service.js';
import type { UserError } from '../core/errors.js';
import type { PersonRef, Place } from './interaction.js';
import type { PlatformWording } from './wording.js';
import type { AuditLog } from '../audit/index.js';
import type { ServerBudget } from '../core/budget-pools.js';
import type { WorkspaceSettingsService } from './settings/index.js';
import type { AuditChannelFeed } from './audit-feed.js';
import type { Locale } from '../i18n/index.js';

/** The core as the conversation uses it: its public methods only. */
export type ConversationService = Pick<
  GenerationService,
  | 'request'
  | 'preflight'
  | 'findJob'
  | 'status'
  | 'poolStatus'
  | 'history'
  | 'setDailyCredits'
  | 'costOf'
  | 'activeCount'
>;

/** What a platform tells the conversation about itself once, when it is built. */
export interface PlatformProfile {
  platform: string;
  /** Its names for things in some messages (see PlatformWording). */
  wording?: PlatformWording;
  /**
   * Reads a person named in typed text (Slack's `<@U123|name>`), as a member of the place it was
   * typed in (Slack keys people per workspace); absent where text cannot name people.
   */
  parsePerson?(token: string, place: Place): PersonRef | undefined;
  /** Reads a channel named in typed text (Slack's `<#C1|name>`, the playground's `#general`) as its id. */
  parseChannel?(token: string, place: Place): string | undefined;
  /** Turns a platform's own refusal (Slack's `ratelimited`, `not_in_channel`) into one for the user. */
  userErrorOf?(error: unknown): UserError | undefined;
  /** What is safe to log of a platform error (Discord's carry the interaction token in their URL). */
  loggable?(error: unknown): unknown;
  /** A prompt containing this fails on purpose (the simulated image API); help says so. */
  failMarker?: string;
  /**
   * Fetches a source the platform marked private (a Slack file with the bot's token, a playground
   * upload from its shelf), as checked image bytes; throws a UserError when it cannot.
   */
  fetchPrivateSource?(source: SourceInput): Promise<DownloadedImage>;
}

/**
 * Checks images offered as sources and makes each reachable by the API: a public https URL as it
 * is, once it answers with an image; a private one fetched through the platform and kept to be
 * served at a signed URL. Throws a UserError naming what is wrong (not an image, over 30 MB, more
 * than three, not https, unreachable, or no PUBLIC_URL to serve a private one from).
 */
export interface SourcePreparer {
  prepare(
    images: readonly SourceInput[],
    fetchPrivate?: (source: SourceInput) => Promise<DownloadedImage>,
  ): Promise<ImageSource[]>;
}

/** Images of a message kept while the person picks one and says what to change (minutes). */
export interface EditDraft {
  /** Only whoever started it may finish it. */
  actorKey: string;
  images: SourceInput[];
  /** The image picked (index into `images`) when there were several; the form's prompt applies to it. */
  choice?: number;
  private?: boolean;
}

/** What editing needs besides the core; built once at start-up and given to every adapter. */
export interface EditingSupport {
  sources: SourcePreparer;
  drafts: KeyValues<EditDraft>;
}

/**
 * What operators and server admins control, built once at start-up and shared by every adapter:
 * each server's settings, the audit trail, and the operator's defaults.
 */
export interface OperatorControls {
  settings: WorkspaceSettingsService;
  audit: AuditLog;
  /** SERVER_DAILY_CREDITS / SERVER_MONTHLY_CREDITS: a server's budgets where its admins set none. */
  defaultBudget: ServerBudget;
  /** PROMPT_BLOCKLIST_FILE's entries, applied in every server beside its own blocklist. */
  sharedBlocklist: readonly string[];
  /** Where platforms register how they post a line in a server's audit channel. */
  auditFeed: AuditChannelFeed;
}

export interface ConversationContext {
  service: ConversationService;
  logger: Logger;
  profile: PlatformProfile;
  now: () => number;
  /** DEFAULT_LOCALE: the language of anyone whose own is unknown or not spoken (see localeOf). */
  defaultLocale: Locale;
  editing: EditingSupport;
  controls: OperatorControls;
}
