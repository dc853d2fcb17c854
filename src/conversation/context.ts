import type { Logger } from '../core/logger.js';
import type { GenerationService } from '../core/generation-service.js';
import type { UserError } from '../core/errors.js';
import type { PersonRef, Place } from './interaction.js';
import type { PlatformWording } from './wording.js';

/** The core as the conversation uses it: its public methods only. */
export type ConversationService = Pick<
  GenerationService,
  | 'request'
  | 'preflight'
  | 'findJob'
  | 'status'
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
  /** Turns a platform's own refusal (Slack's `ratelimited`, `not_in_channel`) into one for the user. */
  userErrorOf?(error: unknown): UserError | undefined;
  /** What is safe to log of a platform error (Discord's carry the interaction token in their URL). */
  loggable?(error: unknown): unknown;
  /** A prompt containing this fails on purpose (the simulated image API); help says so. */
  failMarker?: string;
}

export interface ConversationContext {
  service: ConversationService;
  logger: Logger;
  profile: PlatformProfile;
  now: () => number;
}
