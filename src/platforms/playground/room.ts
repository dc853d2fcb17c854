import { randomBytes } from 'node:crypto';

/** A job's card: the status message that turns into the image or the failure. */
export interface JobCard {
  type: 'job';
  requestId: string;
  state: 'queued' | 'generating' | 'done' | 'failed';
  /** "Queued: position 2 in line", "Generating… 12 s", "Done in 14 s", or the failure. */
  status: string;
  prompt: string;
  /** "16:9 · 2K" */
  options: string;
  requestedBy: string;
  /** When the job was accepted, so the page can tick the elapsed time between updates. */
  since: number;
  image?: { url: string; alt: string };
  /** The image came from the simulated API, and the page must say so. */
  simulated: boolean;
  sharedBy?: string;
  /** "Edited from “a red fox”", "From cat.png": what it was made from (see madeFromText), in the card's language. */
  madeFrom?: string;
  /** The images it started from: thumbnails served by the playground, or links to public ones. */
  sources?: SourceThumbnail[];
  actions: CardAction[];
}

export interface SourceThumbnail {
  name: string;
  url: string;
  /** Served by the playground (an <img>); otherwise a public link the page only links to. */
  local: boolean;
}

export interface CardAction {
  action: CardActionKind;
  label: string;
  /** Share: the channel it goes to. */
  channelId?: string;
}

export type CardActionKind = 'reroll' | 'retry' | 'edit' | 'vary' | 'upscale' | 'share' | 'delete';

/**
 * The form asking what to change in an image, shown to its actor only: under a result (Edit) or
 * for an image picked on a message. Sending it comes back as a new generation.
 */
export interface EditFormBody {
  type: 'edit-form';
  /** The result edited (its request id), or the draft of an edit started on a message. */
  of: { result: string } | { draft: string };
  /** What is being edited, to show beside the prompt box. */
  image: { name: string; url?: string };
  /** "Costs 2 credits (a 2K image)." */
  cost: string;
}

/** Images someone posted without a prompt: "Edit image" on it edits one of them. */
export interface ImagePostBody {
  type: 'post';
  author: string;
  images: { upload: string; name: string; url: string }[];
}

/** Several images on a message: which one to edit. */
export interface SourcePickBody {
  type: 'source-pick';
  draft: string;
  images: { name: string; url?: string }[];
}

/** A reply meant for one person: help, quota, history, the admin's answers, and errors. */
export interface Notice {
  type: 'notice';
  tone: 'info' | 'error';
  lines: string[];
  /** A picture answering with the words (the usage chart), served by the playground. */
  image?: { url: string; alt: string };
  /** A file to save (the audit export): the link, the file's name, and what the link says. */
  download?: { url: string; name: string; label: string };
}

export interface ChatMessage {
  id: string;
  channelId: string;
  /** Seen only by this user (replies and private jobs); everyone in the channel otherwise. */
  visibleTo?: string;
  postedAt: number;
  body: JobCard | Notice | EditFormBody | SourcePickBody | ImagePostBody;
}

export type RoomEvent =
  { type: 'upsert'; message: ChatMessage } | { type: 'remove'; id: string; channelId: string };

/** Old messages leave first, so a long session cannot grow memory without bound. */
const MAX_MESSAGES = 500;

export function newMessageId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The playground's chat: messages in channels, in memory, with listeners for live updates.
 * It is the "platform" the playground delivers to, as Slack's channels are for Slack.
 */
export class ChatRoom {
  private readonly messages = new Map<string, ChatMessage>();
  private readonly listeners = new Set<(event: RoomEvent) => void>();

  get(id: string): ChatMessage | undefined {
    return this.messages.get(id);
  }

  /** Adds the message, or replaces the body of the one with its id (keeping its place). */
  upsert(message: Omit<ChatMessage, 'postedAt'> & { postedAt?: number }): ChatMessage {
    const existing = this.messages.get(message.id);
    const stored: ChatMessage = {
      ...message,
      postedAt: existing?.postedAt ?? message.postedAt ?? Date.now(),
    };
    this.messages.set(stored.id, stored);
    this.emit({ type: 'upsert', message: stored });
    if (!existing && this.messages.size > MAX_MESSAGES) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    return stored;
  }

  remove(id: string): boolean {
    const message = this.messages.get(id);
    if (!message) return false;
    this.messages.delete(id);
    this.emit({ type: 'remove', id, channelId: message.channelId });
    return true;
  }

  visibleTo(userId: string): ChatMessage[] {
    return [...this.messages.values()].filter((message) => canSee(message, userId));
  }

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RoomEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export function canSee(message: ChatMessage, userId: string): boolean {
  return message.visibleTo === undefined || message.visibleTo === userId;
}
