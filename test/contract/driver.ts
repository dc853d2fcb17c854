/**
 * One conversation, in a user's terms, that every front end must hold to: the contract suite
 * drives Discord, Slack and the playground through this interface and asserts the same things.
 * Each driver plays the person through that platform's fake (real discord.js, real Bolt, the
 * playground's HTTP API) and reads back only what that person would see.
 */
import type { CoreTuning } from '../../src/main.js';
import { FAST_CREATE_RETRY } from '../helpers/core.js';
import type { ImageApiControls } from './image-api.js';

export type Platform = 'discord' | 'slack' | 'playground';

/** Someone in the conversation; a driver makes fresh ones for every test so nobody's credits carry over. */
export interface Person {
  readonly role: 'requester' | 'member' | 'moderator';
  /** The platform's id for them. */
  readonly id: string;
  /** How a message names them: `<@U…>` on Discord and Slack, the display name in the playground. */
  readonly shownAs: string;
}

export interface People {
  requester: Person;
  /** Another member, with no special rights. */
  member: Person;
  /**
   * May delete anyone's image and, where there are admin commands, use them (Manage Messages and
   * Manage Server on Discord, a workspace admin on Slack, Mo in the playground).
   */
  moderator: Person;
}

export type Resolution = '1K' | '2K' | '4K';

export interface ImagineOptions {
  resolution?: Resolution;
  /** Any text: an invalid value is the point of one test. */
  aspectRatio?: string;
  /** Only the requester sees the result. */
  private?: boolean;
}

/** Something a person just did: typed a command, clicked a button, picked a channel. */
export interface Sent {
  readonly by: Person;
  /** The platform's id for this interaction, which the image API must see as X-Request-ID. */
  readonly interactionId: string;
  /** What the person asked for, when it was a generation. */
  readonly prompt?: string;
}

/** A result or failure as shown in the channel, and how to act on it again. */
export interface Shown {
  /** Everything a person reads on it. */
  readonly text: string;
  /** The labels of its buttons, in order. */
  readonly buttons: readonly string[];
}

/** How a generation ended for the person who asked. */
export type Outcome =
  | { kind: 'image'; shown: Shown }
  | { kind: 'failure'; shown: Shown }
  /** Told privately; nothing was left in the channel. */
  | { kind: 'refusal'; text: string };

/** A file a person offers as an image to start from (its bytes need not be an image: refusals). */
export interface OfferedFile {
  name: string;
  /** What the platform is told the file is (Discord `content_type`, Slack `mimetype`). */
  contentType: string;
  bytes: Buffer;
}

/**
 * Image-to-image, the platform's way. A driver has these when its capabilities say `editing`
 * (Edit, Vary, Upscale) and `ownImages` (imagineFrom).
 */
export interface EditingDriver {
  /** Presses Edit on a result and sends the form with what to change. */
  edit(by: Person, on: Shown, prompt: string): Promise<Sent>;
  /** Presses Vary. */
  vary(by: Person, on: Shown): Promise<Sent>;
  /** Presses Upscale. */
  upscale(by: Person, on: Shown): Promise<Sent>;
  /**
   * A generation from the person's own files, the platform's way (Discord `/imagine` attachments,
   * Slack's form file input, the playground's attach); `Sent` is the interaction that starts it.
   */
  imagineFrom(by: Person, prompt: string, files: OfferedFile[]): Promise<Sent>;
}

/** "Edit image" on a message (Discord's message command, Slack's message shortcut). */
export interface MessageEditingDriver {
  /**
   * The person posts a message carrying these files, uses "Edit image" on it, picks image `pick`
   * (counting the images only) when asked which, and sends the form with `prompt`. `Sent` is the
   * form's submission, which keys the generation.
   */
  editImageOn(by: Person, files: OfferedFile[], pick: number, prompt: string): Promise<Sent>;
}

/**
 * A change to the server's settings in the suite's terms: the driver makes it with the platform's
 * own admin gesture (Discord `/imagine-admin`, Slack and the playground `/imagine admin …`).
 * `main` is the channel the suite generates in; `other` the one shares go to.
 */
export type SettingChange =
  | { block: string }
  | { unblock: string }
  | { onlyChannel: 'main' | 'other' }
  | { denyChannel: 'main' | 'other' }
  | { allChannels: true }
  /** The server's pool per UTC day; `default` goes back to the operator's (none in this suite). */
  | { dailyBudget: number | 'default' };

/** The server's admin controls, where a driver has them (capability `operatorControls`). */
export interface OperatorDriver {
  /** The admin command that makes the change; its private answer is the settings or a refusal. */
  changeSetting(by: Person, change: SettingChange): Promise<Sent>;
  /** The other channel as a refusal names it (`<#C…>` on Discord and Slack, `#showcase`). */
  readonly otherChannelShownAs: string;
}

export interface ChatDriver extends Partial<EditingDriver & MessageEditingDriver & OperatorDriver> {
  readonly platform: Platform;
  /** The image API fake behind this bot. */
  readonly api: ImageApiControls;
  /** A requester, another member and a moderator nobody has used yet. */
  people(): Promise<People>;
  imagine(by: Person, prompt: string, options?: ImagineOptions): Promise<Sent>;
  /** The same interaction again, as the platform redelivers it (a retry, a double send). */
  resend(sent: Sent): Promise<void>;
  /** Waits for the image, the failure shown in place, or the private refusal. */
  outcomeOf(sent: Sent): Promise<Outcome>;
  reroll(by: Person, on: Shown): Promise<Sent>;
  /** Presses Try again on a failure. */
  retry(by: Person, on: Shown): Promise<Sent>;
  /** Shares the result to the other channel (picking it where the platform asks). */
  share(by: Person, on: Shown): Promise<Sent>;
  /** The copy the share left in the other channel. */
  sharedCopyOf(sent: Sent): Promise<Shown>;
  /** Presses Delete. */
  remove(by: Person, on: Shown): Promise<Sent>;
  /** Whether anyone but the requester can see it. */
  seenByOthers(shown: Shown): boolean;
  /** Whether the channel still shows it. */
  isShown(shown: Shown): boolean;
  /** Waits until the channel no longer shows it. */
  goneFromChannel(shown: Shown): Promise<void>;
  /** The next thing told to this person alone after they did `sent`. */
  privateReplyTo(sent: Sent): Promise<string>;
  /** How many results in the channel show this prompt. */
  resultsShowing(prompt: string): number;
  /** An admin command: `of` may spend `daily` credits a day. */
  setDailyCredits(by: Person, of: Person, daily: number): Promise<Sent>;
  /** Asks the bot, the platform's way, and returns its private answer. */
  ask(by: Person, what: 'quota' | 'history' | 'help'): Promise<string>;
  /** Everything told to this person alone so far. */
  privateTextsOf(by: Person): string[];
  /** Every log line the bot wrote. */
  operatorLog(): string;
  /** Tokens, keys or signing secrets that reached the log (none may). */
  leakedSecrets(): string[];
  close(): Promise<void>;
}

/** What a platform's people can do at all: a step the platform has no way to take is skipped. */
export interface Capabilities {
  /** Options are typed as text, so a person can type an invalid value. */
  typedOptions: boolean;
  /** A prompt over the bot's limit can be sent (Discord's own client caps the option's length). */
  overlongPrompt: boolean;
  /** A help command exists. */
  help: boolean;
  /** Admins can change a person's daily credits. */
  admin: boolean;
  /** Results have Edit, Vary and Upscale, and the driver presses them (EditingDriver). */
  editing?: boolean;
  /** A person can start from their own files (EditingDriver.imagineFrom). */
  ownImages?: boolean;
  /** "Edit image" on a message with images (MessageEditingDriver). */
  editImage?: boolean;
  /** Admins set the server's budget, channels and blocklist (OperatorDriver). */
  operatorControls?: boolean;
}

export interface DriverSpec {
  platform: Platform;
  capabilities: Capabilities;
  /** Why a capability is missing, for the skipped test's name. */
  missing: Partial<Record<keyof Capabilities, string>>;
  start(): Promise<ChatDriver>;
}

/** Settings every platform's bot gets, so the arithmetic is the same everywhere. */
export const CONTRACT_ENV = {
  USER_DAILY_CREDITS: '5',
  MAX_ACTIVE_PER_USER: '2',
  // The simulator enforces no tier; the bot plans on the largest one.
  API_TIER: 'enterprise',
} as const;
/**
 * Every platform's bot retries createTask as in production, only faster, and gives up on a call
 * after 3 s instead of 30, so a hanging or always-failing API is seen through in a test.
 */
export const CONTRACT_TUNING: CoreTuning = {
  apiCalls: { createRetry: FAST_CREATE_RETRY, timeoutMs: 3_000 },
};
export const DAILY_CREDITS = 5;
export const MAX_ACTIVE = 2;

export { until } from '../fakes/slack/harness.js';

/** Which platform object each Shown came from, so a later click lands on it. */
export class ShownObjects<T extends object> {
  private readonly objects = new WeakMap<Shown, T>();

  remember(shown: Shown, object: T): Shown {
    this.objects.set(shown, object);
    return shown;
  }

  of(shown: Shown): T {
    const object = this.objects.get(shown);
    if (!object) throw new Error('not something this driver showed');
    return object;
  }
}

/**
 * Every action, in order. A private note does not say which action it answers, so it belongs to
 * the person's action before it: anything after their next action is that one's.
 */
export class ActionLog {
  private readonly actions: Array<{ id: string; person: string }> = [];

  add(id: string, person: string): void {
    this.actions.push({ id, person });
  }

  /** The same person's next action after this one, if any. */
  nextAfter(id: string, person: string): string | undefined {
    const index = this.actions.findIndex((action) => action.id === id);
    return this.actions.slice(index + 1).find((action) => action.person === person)?.id;
  }
}

/** Options as Slack and the playground take them, typed after the prompt. */
export function typedFlags(options: ImagineOptions): string {
  return [
    options.aspectRatio ? `--ar ${options.aspectRatio}` : '',
    options.resolution ? `--res ${options.resolution}` : '',
    options.private ? '--private' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A setting as an admin types it after `/imagine admin` (Slack, the playground): one grammar. */
export function typedSetting(
  change: SettingChange,
  channel: (which: 'main' | 'other') => string,
): string {
  if ('block' in change) return `blocklist add ${change.block}`;
  if ('unblock' in change) return `blocklist remove ${change.unblock}`;
  if ('onlyChannel' in change) return `channels allow ${channel(change.onlyChannel)}`;
  if ('denyChannel' in change) return `channels deny ${channel(change.denyChannel)}`;
  if ('allChannels' in change) return 'channels all';
  return `budget daily ${change.dailyBudget}`;
}

let promptCounter = 0;

/** A prompt no other test uses, so a result can be told apart by what it shows. */
export function uniquePrompt(words: string): string {
  promptCounter++;
  return `${words} number ${promptCounter}`;
}

/** Credits left, as the quota answer says it ("3 of 5"). */
export function creditsLeft(quotaText: string): number {
  const match = /(\d+) of \d+/.exec(quotaText);
  if (!match) throw new Error(`no "N of M" credits in the quota answer: ${quotaText}`);
  return Number(match[1]);
}
