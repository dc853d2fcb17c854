import { validateBlocks } from './blocks.js';
import { fileUrl } from './files.js';
import { validateModal } from './views.js';
import type { FakeChannel, FakeMessage, Workspace } from './workspace.js';

/** An `{ ok: false, error }` answer, exactly as Slack sends it (HTTP 200). */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export type Args = Record<string, unknown>;

export interface MethodContext {
  token: string;
  /** Where this server listens, for upload, download and WebSocket URLs. */
  origin: string;
  /** Mints the Socket Mode URL handed out by apps.connections.open. */
  socketUrl(): string;
}

export type Method = (args: Args, context: MethodContext) => Record<string, unknown>;

function str(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '')
    throw new SlackError('invalid_arguments', { detail: `missing ${name}` });
  return value;
}

/** Slack's form encoding sends arrays and objects as JSON strings. */
function json(args: Args, name: string): unknown {
  const value = args[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackError('invalid_arguments', { detail: `${name} is not JSON` });
  }
}

export function webApiMethods(
  ws: Workspace,
  botToken: string,
  appToken: string,
): Record<string, Method> {
  const requireBot = (context: MethodContext) => {
    if (!context.token) throw new SlackError('not_authed');
    if (context.token !== botToken) throw new SlackError('invalid_auth');
  };

  const files = {
    isShareable: (id: string) => {
      const file = ws.files.get(id);
      return !!file && file.completed && !file.deleted && file.channels.length > 0;
    },
  };

  /** Resolves a channel argument the way Slack does for a bot token: a user id means the bot's DM. */
  const conversation = (id: string): FakeChannel => {
    if (ws.users.has(id) && /^[UW]/.test(id)) return ws.imWith(id);
    const channel = ws.channels.get(id);
    // Slack hides private channels the bot is not in: they "do not exist".
    if (!channel || (channel.kind === 'private' && !channel.members.has(ws.botUserId)))
      throw new SlackError('channel_not_found');
    return channel;
  };

  const postable = (id: string): FakeChannel => {
    const channel = conversation(id);
    if (channel.archived) throw new SlackError('is_archived');
    if (!channel.members.has(ws.botUserId)) throw new SlackError('not_in_channel');
    return channel;
  };

  const checkBlocks = (blocks: unknown) => {
    const problem = validateBlocks(blocks, files);
    if (problem)
      throw new SlackError('invalid_blocks', {
        errors: [problem],
        response_metadata: { messages: [`[ERROR] ${problem}`] },
      });
  };

  const checkedModal = (args: Args): Record<string, unknown> => {
    const view = json(args, 'view') as Record<string, unknown>;
    const problem = validateModal(view);
    if (problem)
      throw new SlackError('invalid_arguments', {
        response_metadata: { messages: [`[ERROR] ${problem}`] },
      });
    checkBlocks(
      (view.blocks as unknown[]).filter((block) => (block as { type: string }).type !== 'input'),
    );
    return view;
  };

  /** A modal the person now sees, opened on their trigger (pushed onto another, or not). */
  const showModal = (
    trigger: { id: string; user: string },
    view: Record<string, unknown>,
    pushedOn?: string,
  ) => {
    const id = ws.nextId('V');
    ws.views.push({
      id,
      triggerId: trigger.id,
      user: trigger.user,
      view,
      at: Date.now(),
      ...(pushedOn ? { pushedOn } : {}),
      replaced: [],
    });
    return { view: { ...view, id, hash: `${id}-hash` } };
  };

  const findMessage = (channel: string, ts: string): FakeMessage => {
    const message = ws.messages.find(
      (candidate) => candidate.channel === channel && candidate.ts === ts && !candidate.deleted,
    );
    if (!message) throw new SlackError('message_not_found');
    return message;
  };

  /** A `thread_ts` argument checked as Slack does: a thread's first message in that conversation. */
  const threadArg = (channel: FakeChannel, args: Args): string | undefined => {
    const threadTs = args.thread_ts;
    if (threadTs === undefined || threadTs === '') return undefined;
    if (typeof threadTs !== 'string' || !ws.threadParent(channel.id, threadTs))
      throw new SlackError('thread_not_found');
    return threadTs;
  };

  const post = (
    channel: FakeChannel,
    fields: { text?: string; blocks?: unknown[]; files?: string[]; threadTs?: string },
  ): FakeMessage => {
    const now = Date.now();
    const message: FakeMessage = {
      channel: channel.id,
      ts: ws.nextTs(),
      user: ws.botUserId,
      ...(fields.text !== undefined ? { text: fields.text } : {}),
      ...(fields.blocks ? { blocks: fields.blocks } : {}),
      files: fields.files ?? [],
      ...(fields.threadTs !== undefined ? { threadTs: fields.threadTs } : {}),
      revisions: [
        {
          ...(fields.text !== undefined ? { text: fields.text } : {}),
          ...(fields.blocks ? { blocks: fields.blocks } : {}),
          at: now,
        },
      ],
      deleted: false,
      postedAt: now,
    };
    ws.messages.push(message);
    return message;
  };

  const useTrigger = (triggerId: string) => {
    const trigger = ws.triggers.get(triggerId);
    if (!trigger) throw new SlackError('invalid_trigger_id');
    if (trigger.used) throw new SlackError('trigger_exchanged');
    if (Date.now() - trigger.issuedAt > 3_000) throw new SlackError('expired_trigger_id');
    trigger.used = true;
    return trigger;
  };

  return {
    'auth.test': (_args, context) => {
      requireBot(context);
      return {
        url: `https://${ws.teamDomain}.slack.com/`,
        team: 'Fake Team',
        user: ws.botName,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        bot_id: ws.botId,
        is_enterprise_install: false,
      };
    },

    'apps.connections.open': (_args, context) => {
      if (context.token !== appToken)
        throw new SlackError(
          context.token.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth',
        );
      return { url: context.socketUrl() };
    },

    'chat.postMessage': (args, context) => {
      requireBot(context);
      const channel = postable(str(args, 'channel'));
      const blocks = json(args, 'blocks') as unknown[] | undefined;
      checkBlocks(blocks);
      if (!args.text && !blocks) throw new SlackError('no_text');
      const threadTs = threadArg(channel, args);
      const message = post(channel, {
        ...(typeof args.text === 'string' ? { text: args.text } : {}),
        ...(blocks ? { blocks } : {}),
        ...(threadTs !== undefined ? { threadTs } : {}),
      });
      return {
        channel: channel.id,
        ts: message.ts,
        message: { ts: message.ts, text: message.text, blocks: message.blocks },
      };
    },

    'chat.update': (args, context) => {
      requireBot(context);
      const channel = conversation(str(args, 'channel'));
      const message = findMessage(channel.id, str(args, 'ts'));
      if (message.user !== ws.botUserId) throw new SlackError('cant_update_message');
      const blocks = json(args, 'blocks') as unknown[] | undefined;
      checkBlocks(blocks);
      if (typeof args.text === 'string') message.text = args.text;
      if (blocks) message.blocks = blocks;
      message.revisions.push({
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.blocks ? { blocks: message.blocks } : {}),
        at: Date.now(),
      });
      return { channel: channel.id, ts: message.ts, text: message.text };
    },

    'chat.delete': (args, context) => {
      requireBot(context);
      const channel = conversation(str(args, 'channel'));
      const message = findMessage(channel.id, str(args, 'ts'));
      if (message.user !== ws.botUserId) throw new SlackError('cant_delete_message');
      message.deleted = true;
      return { channel: channel.id, ts: message.ts };
    },

    'chat.postEphemeral': (args, context) => {
      requireBot(context);
      const channel = postable(str(args, 'channel'));
      const user = str(args, 'user');
      if (!channel.members.has(user)) throw new SlackError('user_not_in_channel');
      const blocks = json(args, 'blocks') as unknown[] | undefined;
      checkBlocks(blocks);
      const threadTs = threadArg(channel, args);
      ws.ephemerals.push({
        id: ws.nextId('E'),
        user,
        channel: channel.id,
        via: 'chat.postEphemeral',
        ...(threadTs !== undefined ? { threadTs } : {}),
        ...(typeof args.text === 'string' ? { text: args.text } : {}),
        ...(blocks ? { blocks } : {}),
        replaceOriginal: false,
        deleteOriginal: false,
        at: Date.now(),
      });
      return { message_ts: ws.nextTs() };
    },

    'views.open': (args, context) => {
      requireBot(context);
      const trigger = useTrigger(str(args, 'trigger_id'));
      return showModal(trigger, checkedModal(args));
    },

    /** A new modal on top of the one the person is in; needs a fresh trigger like views.open. */
    'views.push': (args, context) => {
      requireBot(context);
      const trigger = useTrigger(str(args, 'trigger_id'));
      const view = checkedModal(args);
      const under = [...ws.views].reverse().find((opened) => opened.user === trigger.user);
      if (!under) throw new SlackError('not_found');
      return showModal(trigger, view, under.id);
    },

    /** Replaces what an open modal shows; no trigger needed, only its id. */
    'views.update': (args, context) => {
      requireBot(context);
      const opened = ws.views.find((candidate) => candidate.id === str(args, 'view_id'));
      if (!opened) throw new SlackError('not_found');
      if (typeof args.hash === 'string' && args.hash !== `${opened.id}-hash`)
        throw new SlackError('hash_conflict');
      const view = checkedModal(args);
      opened.replaced.push(opened.view);
      opened.view = view;
      return { view: { ...view, id: opened.id, hash: `${opened.id}-hash` } };
    },

    'views.publish': (args, context) => {
      requireBot(context);
      const user = str(args, 'user_id');
      if (!ws.users.has(user)) throw new SlackError('user_not_found');
      const view = json(args, 'view') as Record<string, unknown>;
      if (view.type !== 'home') throw new SlackError('invalid_arguments');
      // A home tab holds up to 100 blocks, twice a message's 50.
      const blocks = view.blocks as unknown[] | undefined;
      if (!Array.isArray(blocks) || blocks.length > 100)
        throw new SlackError('invalid_arguments', {
          response_metadata: {
            messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
          },
        });
      checkBlocks(blocks.slice(0, 50));
      checkBlocks(blocks.slice(50));
      const published = { ...view, id: ws.nextId('V') };
      ws.homeViews.set(user, [...(ws.homeViews.get(user) ?? []), published]);
      return { view: published };
    },

    'users.info': (args, context) => {
      requireBot(context);
      const user = ws.users.get(str(args, 'user'));
      if (!user) throw new SlackError('user_not_found');
      // Slack adds the person's language only when asked (form encoding sends "true").
      const withLocale = args.include_locale === true || args.include_locale === 'true';
      return {
        user: {
          ...(withLocale ? { locale: user.locale } : {}),
          id: user.id,
          team_id: ws.teamId,
          name: user.name,
          is_admin: user.isAdmin,
          is_owner: user.isOwner,
          is_primary_owner: false,
          is_bot: user.id === ws.botUserId,
        },
      };
    },

    'conversations.join': (args, context) => {
      requireBot(context);
      const channel = conversation(str(args, 'channel'));
      if (channel.kind !== 'public') throw new SlackError('method_not_supported_for_channel_type');
      if (channel.archived) throw new SlackError('is_archived');
      channel.members.add(ws.botUserId);
      return { channel: { id: channel.id, name: channel.name } };
    },

    'conversations.members': (args, context) => {
      requireBot(context);
      const id = str(args, 'channel');
      const channel = ws.channels.get(id);
      // Only conversation ids (a user id is not one), and private ones only to their members.
      if (!channel || (channel.kind === 'private' && !channel.members.has(ws.botUserId)))
        throw new SlackError('channel_not_found');
      // Slack's cursor pagination: `limit` (default 100, at most 1000), an opaque `next_cursor`.
      const limit = args.limit === undefined ? 100 : Number(args.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new SlackError('invalid_limit');
      let offset = 0;
      if (typeof args.cursor === 'string' && args.cursor !== '') {
        const match = /^offset:(\d+)$/.exec(Buffer.from(args.cursor, 'base64').toString('utf8'));
        if (!match) throw new SlackError('invalid_cursor');
        offset = Number(match[1]);
      }
      const everyone = [...channel.members];
      const next = offset + limit;
      return {
        members: everyone.slice(offset, next),
        response_metadata: {
          next_cursor:
            next < everyone.length ? Buffer.from(`offset:${next}`).toString('base64') : '',
        },
      };
    },

    'conversations.open': (args, context) => {
      requireBot(context);
      const users = str(args, 'users').split(',');
      if (users.length !== 1 || !ws.users.has(users[0]!)) throw new SlackError('user_not_found');
      return { channel: { id: ws.imWith(users[0]!).id } };
    },

    'files.getUploadURLExternal': (args, context) => {
      requireBot(context);
      const name = str(args, 'filename');
      const length = Number(args.length);
      if (!Number.isInteger(length) || length <= 0)
        throw new SlackError('invalid_arguments', { detail: 'length' });
      // Alt text is for images, and Slack takes at most 1,000 characters of it.
      if (typeof args.alt_text === 'string' && args.alt_text.length > 1_000)
        throw new SlackError('invalid_arguments', { detail: 'alt_text' });
      const id = ws.nextId('F');
      ws.files.set(id, { id, name, length, channels: [], completed: false, deleted: false });
      return { upload_url: `${context.origin}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args, context) => {
      requireBot(context);
      const entries = json(args, 'files') as Array<{ id: string; title?: string }>;
      const channelId = typeof args.channel_id === 'string' ? args.channel_id : undefined;
      const blocks = json(args, 'blocks') as unknown[] | undefined;
      const channel = channelId ? postable(channelId) : undefined;
      // A thread only makes sense with the conversation it is in.
      if (args.thread_ts !== undefined && !channel)
        throw new SlackError('invalid_arguments', { detail: 'thread_ts without channel_id' });
      const threadTs = channel ? threadArg(channel, args) : undefined;
      for (const entry of entries) {
        const file = ws.files.get(entry.id);
        // Slack refuses to complete an upload whose bytes never arrived.
        if (!file || !file.bytes) throw new SlackError('file_not_found');
      }
      if (blocks && !args.initial_comment) checkBlocks(blocks);
      for (const entry of entries) {
        const file = ws.files.get(entry.id)!;
        file.completed = true;
        if (entry.title) file.title = entry.title;
        if (channel) file.channels.push(channel.id);
      }
      if (channel) {
        const text = typeof args.initial_comment === 'string' ? args.initial_comment : undefined;
        post(channel, {
          ...(text !== undefined ? { text } : {}),
          ...(blocks && !text ? { blocks } : {}),
          files: entries.map((entry) => entry.id),
          ...(threadTs !== undefined ? { threadTs } : {}),
        });
      }
      return {
        files: entries.map((entry) => ({ id: entry.id, title: ws.files.get(entry.id)!.title })),
      };
    },

    'files.info': (args, context) => {
      requireBot(context);
      const file = ws.files.get(str(args, 'file'));
      if (!file || file.deleted) throw new SlackError('file_not_found');
      const url = fileUrl(context.origin, file);
      // Where the file is shared, as Slack lists it: by kind of conversation, and in `shares`
      // with the messages that carry it (public channels apart from private ones and DMs).
      const kinds = file.channels.map((id) => ({ id, kind: ws.channels.get(id)?.kind }));
      const ofKind = (kind: string) => kinds.filter((c) => c.kind === kind).map((c) => c.id);
      const sharesIn = (channels: string[]) =>
        Object.fromEntries(
          channels.map((id) => [
            id,
            ws.messages
              .filter((message) => message.channel === id && message.files.includes(file.id))
              .map((message) => ({ ts: message.ts, channel_name: ws.channels.get(id)?.name })),
          ]),
        );
      const privately = [...ofKind('private'), ...ofKind('im')];
      return {
        file: {
          id: file.id,
          name: file.name,
          title: file.title,
          size: file.length,
          url_private: url,
          url_private_download: `${url}?download=1`,
          channels: ofKind('public'),
          groups: ofKind('private'),
          ims: ofKind('im'),
          shares: {
            ...(ofKind('public').length ? { public: sharesIn(ofKind('public')) } : {}),
            ...(privately.length ? { private: sharesIn(privately) } : {}),
          },
        },
      };
    },

    'files.delete': (args, context) => {
      requireBot(context);
      const file = ws.files.get(str(args, 'file'));
      if (!file || file.deleted) throw new SlackError('file_not_found');
      file.deleted = true;
      return {};
    },
  };
}
