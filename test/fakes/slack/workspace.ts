/** The state of one fake Slack workspace: people, conversations, messages, files and views. */

export interface FakeUser {
  id: string;
  name: string;
  isAdmin: boolean;
  isOwner: boolean;
  /** The language the person chose in Slack (`en-US`, `zh-CN`, …). */
  locale: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im';
  members: Set<string>;
  archived: boolean;
  /** For an IM: the person the bot talks to. */
  imUser?: string;
}

export interface MessageRevision {
  text?: string;
  blocks?: unknown[];
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  /** File ids shared by this message (files v2 uploads). */
  files: string[];
  /** A reply: the ts of the thread's first message (Slack's `thread_ts`); absent at top level. */
  threadTs?: string;
  /** Every version: the post first, then each chat.update. */
  revisions: MessageRevision[];
  deleted: boolean;
  postedAt: number;
}

export interface FakeFile {
  id: string;
  name: string;
  length: number;
  title?: string;
  bytes?: Buffer;
  /** Channels the file was shared into by completeUploadExternal. */
  channels: string[];
  completed: boolean;
  deleted: boolean;
  /** What Slack says the file is (`image/png`, `application/pdf`); the bot's uploads are PNGs. */
  mimetype?: string;
  /** Who uploaded it: a person's file, not the bot's. */
  owner?: string;
}

/** Something only one person saw: chat.postEphemeral or a response_url post. */
export interface EphemeralMessage {
  id: string;
  user: string;
  channel: string;
  via: 'chat.postEphemeral' | 'response_url';
  responseUrl?: string;
  text?: string;
  blocks?: unknown[];
  replaceOriginal: boolean;
  deleteOriginal: boolean;
  /** Shown inside this thread (the interaction happened there, or `thread_ts` was given). */
  threadTs?: string;
  at: number;
}

export interface OpenedView {
  id: string;
  triggerId: string;
  user: string;
  /** What the modal shows now: views.update replaces it, keeping the id. */
  view: Record<string, unknown>;
  at: number;
  /** The modal it was pushed onto (views.push), if any. */
  pushedOn?: string;
  /** Earlier contents, before each views.update. */
  replaced: Array<Record<string, unknown>>;
}

export interface ResponseUrl {
  id: string;
  url: string;
  user: string;
  channel: string;
  issuedAt: number;
  uses: number;
  /** The thread the interaction happened in: what is posted to the URL appears there. */
  threadTs?: string;
}

export interface Trigger {
  id: string;
  user: string;
  issuedAt: number;
  used: boolean;
}

export class Workspace {
  readonly teamId = 'T0FAKE';
  readonly teamDomain = 'fake-team';
  readonly appId = 'A0FAKE';
  readonly botUserId = 'U0BOT';
  readonly botId = 'B0BOT';
  readonly botName = 'imagebot';
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: OpenedView[] = [];
  readonly homeViews = new Map<string, Array<Record<string, unknown>>>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  readonly triggers = new Map<string, Trigger>();
  private counter = 0;
  private lastTs = 0;

  constructor() {
    this.addUser({ id: this.botUserId, name: this.botName });
  }

  nextId(prefix: string): string {
    this.counter++;
    return `${prefix}${String(this.counter).padStart(6, '0')}`;
  }

  /** Slack timestamps are unique per channel and increase; these are unique everywhere. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  addUser(user: {
    id: string;
    name: string;
    isAdmin?: boolean;
    isOwner?: boolean;
    locale?: string;
  }): FakeUser {
    const created = { isAdmin: false, isOwner: false, locale: 'en-US', ...user };
    this.users.set(user.id, created);
    return created;
  }

  addChannel(channel: {
    id: string;
    name: string;
    kind?: 'public' | 'private';
    members?: string[];
    botIsMember?: boolean;
  }): FakeChannel {
    const members = new Set(channel.members ?? []);
    if (channel.botIsMember ?? true) members.add(this.botUserId);
    const created: FakeChannel = {
      id: channel.id,
      name: channel.name,
      kind: channel.kind ?? 'public',
      members,
      archived: false,
    };
    this.channels.set(channel.id, created);
    return created;
  }

  /** The bot's DM with a person, created on first use like Slack's conversations.open. */
  imWith(userId: string): FakeChannel {
    for (const channel of this.channels.values())
      if (channel.kind === 'im' && channel.imUser === userId) return channel;
    const id = `D${userId.slice(1)}`;
    const channel: FakeChannel = {
      id,
      name: id,
      kind: 'im',
      members: new Set([userId, this.botUserId]),
      archived: false,
      imUser: userId,
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** A file a person uploaded (into a message or a modal's file input), readable with the bot token. */
  addUserFile(input: { user: string; name: string; bytes: Buffer; mimetype: string }): FakeFile {
    const id = this.nextId('F');
    const file: FakeFile = {
      id,
      name: input.name,
      title: input.name,
      length: input.bytes.length,
      bytes: input.bytes,
      channels: [],
      completed: true,
      deleted: false,
      mimetype: input.mimetype,
      owner: input.user,
    };
    this.files.set(id, file);
    return file;
  }

  /** A person's own message in a channel, carrying files they uploaded. */
  addUserMessage(input: {
    channel: string;
    user: string;
    text?: string;
    files?: FakeFile[];
    /** A reply in the thread of this message (its ts). */
    threadTs?: string;
  }): FakeMessage {
    const files = input.files ?? [];
    if (input.threadTs !== undefined && !this.threadParent(input.channel, input.threadTs))
      throw new Error(`no thread ${input.threadTs} in ${input.channel}`);
    for (const file of files) file.channels.push(input.channel);
    const now = Date.now();
    const message: FakeMessage = {
      channel: input.channel,
      ts: this.nextTs(),
      user: input.user,
      ...(input.text !== undefined ? { text: input.text } : {}),
      files: files.map((file) => file.id),
      ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
      revisions: [{ ...(input.text !== undefined ? { text: input.text } : {}), at: now }],
      deleted: false,
      postedAt: now,
    };
    this.messages.push(message);
    return message;
  }

  /**
   * The message a `thread_ts` names, as Slack checks it: a message of that conversation, and a
   * thread's first message, not a reply (Slack's docs: use the parent's ts, never a reply's).
   * Returns undefined when it names nothing.
   */
  threadParent(channel: string, threadTs: string): FakeMessage | undefined {
    const parent = this.messages.find(
      (message) => message.channel === channel && message.ts === threadTs,
    );
    if (parent?.threadTs !== undefined && parent.threadTs !== parent.ts) return undefined;
    return parent;
  }

  /** Whether the message has replies: then Slack's payloads give it a `thread_ts` (its own ts). */
  hasReplies(message: FakeMessage): boolean {
    return this.messages.some(
      (other) => other.channel === message.channel && other.threadTs === message.ts,
    );
  }

  /** The thread a message belongs to, as Slack's payloads say it: a reply's parent, or its own. */
  threadOf(message: FakeMessage): string | undefined {
    if (message.threadTs !== undefined) return message.threadTs;
    return this.hasReplies(message) ? message.ts : undefined;
  }

  issueTrigger(user: string): string {
    const id = `${Date.now()}.${this.nextId('')}.fake${Math.random().toString(16).slice(2, 10)}`;
    this.triggers.set(id, { id, user, issuedAt: Date.now(), used: false });
    return id;
  }
}
