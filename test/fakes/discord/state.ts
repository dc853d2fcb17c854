import type { FakeUser } from './commands.js';
import type { Pings } from './mentions.js';

export const MessageFlag = { Ephemeral: 64, Loading: 128 } as const;

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  bytes: Buffer;
  url: string;
}

/** One state of a message as people saw it, kept so tests can read the whole edit history. */
export interface MessageRevision {
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  attachments: FakeAttachment[];
  allowedMentions: unknown;
  pings: Pings;
  flags: number;
  /** Which API made this revision: the interaction webhook, or the bot token on a channel route. */
  via: 'callback' | 'webhook' | 'channel';
  at: number;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string | undefined;
  /** Set for interaction responses: the interaction this message answers. */
  interactionId: string | undefined;
  /** The requester a follow-up or response is addressed to (for DM channels, the recipient). */
  deleted: boolean;
  revisions: MessageRevision[];
  /** The nonce the bot sent with it, for Discord's enforce_nonce deduplication. */
  nonce?: string;
  /** A person's message (posted by a test); absent: the bot's. */
  author?: FakeUser;
}

export function current(message: FakeMessage): MessageRevision {
  return message.revisions.at(-1)!;
}

export interface CallbackRecord {
  type: number;
  data: Record<string, unknown> | undefined;
  at: number;
  /** The HTTP status the fake answered with: 200/204 when accepted, else the refusal. */
  status: number;
  errorCode?: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  user: FakeUser;
  channelId: string;
  guildId: string | undefined;
  dispatchedAt: number;
  attachmentSizeLimit: number;
  callbacks: CallbackRecord[];
  acknowledged: boolean;
  /** The message `@original` refers to: the response, or for components the message clicked on. */
  originalMessageId: string | undefined;
  /**
   * For component interactions: the message whose component was used; for a form sent from a
   * form a component opened, that message too.
   */
  componentMessageId: string | undefined;
  /** The form (modal) the bot answered with, as sent; only the person it was shown to can send it. */
  modal?: Record<string, unknown>;
  followupIds: string[];
  /** Discord's `authorizing_integration_owners`: "0" → the server that installed the app, "1" → the user. */
  owners: Record<string, string>;
  /** Discord's `context`: 0 in a server, 1 in the bot's DM, 2 in a DM or group DM between people. */
  context: number;
  /**
   * Only a user's install authorized it (the app is not in this server or conversation): Discord
   * takes at most five follow-ups for it.
   */
  userInstalledOnly: boolean;
  /** The server lets members use external apps only privately: every answer is ephemeral. */
  forcedEphemeral: boolean;
  /**
   * Set when the interaction went to the bot's HTTP endpoint: settles once the bot's HTTP response
   * (its initial callback) is taken in. Discord handles that response before the token's other
   * routes, so the fake makes those wait for it.
   */
  httpExchange?: Promise<void>;
}

export interface FakeChannel {
  id: string;
  guildId: string | undefined;
  name: string;
  type: number;
  /** The bot's own right to post here; false makes channel routes answer 403 Missing Access. */
  botCanPost: boolean;
  /** For DM channels: the recipient. */
  recipientId?: string;
  /** For threads (types 10, 11, 12): the channel the thread is in. */
  parentId?: string;
}
