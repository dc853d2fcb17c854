import type { DeliveryTarget } from '../../core/types.js';

/** Interaction tokens stop working after 15 minutes; we stop trusting them a little earlier. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;
const TOKEN_SAFETY_MARGIN_MS = 30_000;

/** Discord's upload limit when an interaction does not say (a server without boosts). */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * Where a Discord job's messages go. Everything here is plain data written into the job record, so
 * a restarted process can still reach the message: by the interaction token while it lives, then
 * through the channel with the bot token.
 */
export interface DiscordTarget extends DeliveryTarget {
  platform: 'discord';
  applicationId: string;
  interactionToken: string;
  channelId: string;
  /** The deferred reply's id; null when Discord did not return it (then `@original` still works). */
  messageId: string | null;
  guildId: string | null;
  userId: string;
  /** Only the requester sees the exchange: no channel fallback, a DM instead. */
  ephemeral: boolean;
  /**
   * False where the bot is not a member (a user install in a server without it, a DM between
   * people): only the interaction's own response can show the job there, never a channel post.
   * Absent in older records: true.
   */
  botMayPost?: boolean;
  tokenExpiresAt: number;
  attachmentSizeLimit: number;
}

export function isDiscordTarget(target: DeliveryTarget): target is DiscordTarget {
  return (
    target.platform === 'discord' &&
    typeof target.interactionToken === 'string' &&
    typeof target.userId === 'string'
  );
}

export function tokenExpiry(interactionCreatedAt: number): number {
  return interactionCreatedAt + INTERACTION_TOKEN_TTL_MS - TOKEN_SAFETY_MARGIN_MS;
}

/** The platform-wide user key that quotas and history use. */
export function userKey(userId: string): string {
  return `discord:${userId}`;
}

export function userIdOf(key: string): string | undefined {
  return key.startsWith('discord:') ? key.slice('discord:'.length) : undefined;
}
