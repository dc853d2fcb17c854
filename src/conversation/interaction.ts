import type { RawGenerationInput } from '../core/options.js';
import type { Answer } from './answer.js';

/** The person who acted, as every platform can describe them. */
export interface Actor {
  /** Keys quotas and ownership; unique across platforms (`discord:123`, `slack:T1:U2`). */
  key: string;
  /** The platform's own id, for renderings that mention the person. */
  id: string;
  displayName: string;
  /** May remove anyone's result here (Discord: Manage Messages; Slack: admin; playground: moderator). */
  mayModerate(): Promise<boolean>;
  /** May use the admin commands here (Discord: Manage Server; Slack: admin or owner). */
  mayAdminister(): Promise<boolean>;
  /**
   * May post in that channel (Discord: the permissions Discord resolved for this interaction;
   * Slack: a member of it). May throw a platform UserError that explains better than a "no".
   */
  mayPostIn(channelId: string): Promise<boolean>;
  /**
   * The member's roles in this server (Discord), for the server's role gate and role allowances;
   * undefined on a platform without roles (Slack, the playground), where neither applies.
   */
  roleIds?: readonly string[];
}

/** Where the person acted. */
export interface Place {
  platform: string;
  /** Discord server or Slack workspace; absent in a DM outside any server. */
  workspaceId?: string;
  channelId?: string;
  /** The channel a thread is in (Discord threads have ids of their own); channel rules apply to it too. */
  parentChannelId?: string;
  /** A direct conversation with the bot, outside any server. */
  direct: boolean;
}

/** Someone named in a command (e.g. the member whose credits an admin sets). */
export interface PersonRef {
  key: string;
  id: string;
}

/**
 * An image a person offered as a source, as the platform described it, before any check: an
 * attachment, a file, a typed link, an upload. The conversation checks it and makes it reachable
 * by the API (see SourcePreparer).
 */
export interface SourceInput {
  url: string;
  /** The file's name, when the platform gives one. */
  name?: string;
  /** What the platform says the file is (Discord `content_type`, Slack `mimetype`). */
  contentType?: string;
  /** Bytes, when the platform says; a file over the limit is refused before anything is fetched. */
  size?: number;
  /**
   * The URL is not public: it needs the platform's credentials (a Slack file) or exists only here
   * (a playground upload). The platform fetches it (PlatformProfile.fetchPrivateSource) and the
   * bot serves it to the API itself.
   */
  private?: boolean;
}

/** What a person can ask for, whatever the platform's gesture (slash command, button, typed text). */
export type Intent =
  /** `sources`: images to start from (attachments, files, links); with any, the prompt says what to change. */
  | { kind: 'imagine'; input: RawGenerationInput; sources?: SourceInput[] }
  /**
   * Typed text. `afterCommand`: the text that followed `/imagine` (Slack's slash command);
   * otherwise a whole typed line (the playground's message box), which may name `/quota` and such.
   */
  | { kind: 'command-text'; text: string; afterCommand: boolean }
  /** The same prompt and options again, as a new generation charged to the actor. */
  | { kind: 'reroll'; of: string }
  /** Reroll of a failed generation; when the requester retries, the failure message goes away. */
  | { kind: 'retry'; of: string }
  /** Without `to`: ask where to (the share picker). With it: post the result there. */
  | { kind: 'share'; of: string; to?: string }
  /** `sharedBy`: the copy acted on was shared by this person, who may remove it too. */
  | { kind: 'delete'; of: string; sharedByActor?: boolean }
  /** Edit button: without `prompt`, open the form asking what to change; with it (the form sent), start. */
  | { kind: 'edit'; of: string; prompt?: string }
  /** Vary button: a variation of that result, with its prompt. */
  | { kind: 'vary'; of: string }
  /** Upscale button: that result re-rendered at the next resolution (1K → 2K → 4K). */
  | { kind: 'upscale'; of: string }
  /**
   * "Edit image" on a message (Discord context menu, Slack message shortcut): every file on it,
   * images or not. One image opens the form; several ask which first (a draft keeps them meanwhile).
   */
  | { kind: 'edit-image'; files: SourceInput[] }
  /** A step of an edit started on a message: the image picked (`choice`, 0-based) or the form sent. */
  | { kind: 'edit-draft'; draft: string; choice?: number; prompt?: string }
  | { kind: 'quota' }
  | { kind: 'history' }
  | { kind: 'help' }
  | { kind: 'set-credits'; person: PersonRef; daily: number }
  /** Without `person`: the server's usage report (today, month, 30 days) with its chart. */
  | { kind: 'usage'; person?: PersonRef }
  /** The server's settings; with `change`, changed first (admins only, either way). */
  | { kind: 'settings'; change?: SettingsChange }
  /** Every audit record the server still has, as a CSV file. */
  | { kind: 'export' }
  /** The admin commands' syntax, asked for (`/imagine admin help`), not a refusal. */
  | { kind: 'admin-help' };

/**
 * One change an admin makes to their server's settings. `null` puts a value back to its default
 * (the operator's SERVER_*_CREDITS for a budget, nobody for the audit channel).
 */
export type SettingsChange =
  | { budget: { daily?: number | null; monthly?: number | null } }
  | { channels: { mode: 'all' | 'allow' | 'deny'; ids: string[] } }
  | { dms: boolean }
  /** Roles allowed to generate; empty: everyone. */
  | { roles: string[] }
  /** A role's daily credits per member; `null` removes it. */
  | { roleAllowance: { role: string; daily: number | null } }
  | { blocklist: { add?: string[]; remove?: string[] } }
  | { auditChannel: string | null };

export type IntentKind = Intent['kind'];
export type IntentOf<K extends IntentKind> = Extract<Intent, { kind: K }>;

/** One thing a person asked for, in platform-neutral terms, with the way to answer them. */
export interface Interaction<I extends Intent = Intent> {
  /** The platform's id for this interaction: keys the generation it starts (sent as X-Request-ID). */
  id: string;
  actor: Actor;
  place: Place;
  /** The person's language tag, when the platform says (BCP 47, e.g. `en-US`, `zh-CN`). */
  locale?: string;
  /**
   * The server's or workspace's language, when the platform says (Discord's `guild_locale`): what
   * a generation posts for everyone there (shared notices) speaks it.
   */
  placeLocale?: string;
  /** A new generation stays private: asked with `private`, or started from a private result. */
  private?: boolean;
  intent: I;
  answer: Answer;
}
