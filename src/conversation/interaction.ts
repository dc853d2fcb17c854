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
}

/** Where the person acted. */
export interface Place {
  platform: string;
  /** Discord server or Slack workspace; absent in a DM outside any server. */
  workspaceId?: string;
  channelId?: string;
  /** A direct conversation with the bot, outside any server. */
  direct: boolean;
}

/** Someone named in a command (e.g. the member whose credits an admin sets). */
export interface PersonRef {
  key: string;
  id: string;
}

/** What a person can ask for, whatever the platform's gesture (slash command, button, typed text). */
export type Intent =
  | { kind: 'imagine'; input: RawGenerationInput }
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
  | { kind: 'quota' }
  | { kind: 'history' }
  | { kind: 'help' }
  | { kind: 'set-credits'; person: PersonRef; daily: number }
  | { kind: 'usage'; person?: PersonRef };

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
  /** A new generation stays private: asked with `private`, or started from a private result. */
  private?: boolean;
  intent: I;
  answer: Answer;
}
