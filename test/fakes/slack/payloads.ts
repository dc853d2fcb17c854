import { slackFileObject } from './files.js';
import type {
  EphemeralMessage,
  FakeFile,
  FakeMessage,
  OpenedView,
  Workspace,
} from './workspace.js';

/**
 * What Slack sends an app when a person acts: slash commands, button clicks, shortcuts, modal
 * submissions and events, shaped like Slack's own payloads so Bolt parses them unchanged.
 */

const VERIFICATION_TOKEN = 'verification-token-unused';
const now = () => `${Date.now() / 1000}`;

function user(ws: Workspace, id: string) {
  const name = ws.users.get(id)?.name;
  return { id, username: name, name, team_id: ws.teamId };
}

export function slashCommandPayload(
  ws: Workspace,
  input: {
    text: string;
    userId: string;
    channelId: string;
    triggerId: string;
    responseUrl: string;
  },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    team_domain: ws.teamDomain,
    channel_id: input.channelId,
    channel_name: ws.channels.get(input.channelId)?.name ?? 'unknown',
    user_id: input.userId,
    user_name: ws.users.get(input.userId)?.name ?? 'someone',
    command: '/imagine',
    text: input.text,
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

interface Button {
  block: { block_id?: string };
  element: { action_id: string; value?: string; text?: unknown };
}

/** The button with that action id; with `blockId`, the one in that block (several may share the id). */
export function findButton(blocks: unknown[], actionId: string, blockId?: string): Button {
  for (const block of blocks as Array<Record<string, unknown>>) {
    if (blockId !== undefined && block.block_id !== blockId) continue;
    const elements =
      (block.elements as Array<Record<string, unknown>> | undefined) ??
      (block.accessory ? [block.accessory as Record<string, unknown>] : []);
    for (const element of elements) {
      if (element.type === 'button' && element.action_id === actionId) {
        return { block, element: element as unknown as Button['element'] };
      }
    }
  }
  throw new Error(`no button ${actionId} in the message`);
}

/** The `actions` entry for a pressed button. */
function pressed({ block, element }: Button) {
  return {
    type: 'button',
    action_id: element.action_id,
    block_id: block.block_id ?? 'b',
    value: element.value,
    text: element.text,
    action_ts: now(),
  };
}

export function blockActionsPayload(
  ws: Workspace,
  input: {
    userId: string;
    actionId: string;
    message?: FakeMessage;
    ephemeral?: EphemeralMessage;
    triggerId: string;
    responseUrl: string;
  },
): Record<string, unknown> {
  const source = input.message ?? input.ephemeral;
  if (!source) throw new Error('a click needs a message or an ephemeral message');
  const { block, element } = findButton(source.blocks ?? [], input.actionId);
  const channelId = source.channel;
  // A button on a message in a thread: Slack says which thread, in the container and the message.
  const threadTs = input.message ? ws.threadOf(input.message) : input.ephemeral?.threadTs;
  return {
    type: 'block_actions',
    user: user(ws, input.userId),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: input.message ? input.message.ts : now(),
      channel_id: channelId,
      is_ephemeral: !input.message,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    },
    trigger_id: input.triggerId,
    team: { id: ws.teamId, domain: ws.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: ws.channels.get(channelId)?.name ?? channelId },
    ...(input.message
      ? {
          message: {
            type: 'message',
            ts: input.message.ts,
            text: input.message.text,
            blocks: input.message.blocks,
            user: input.message.user,
            ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
          },
        }
      : {}),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [pressed({ block, element })],
  };
}

export function shortcutPayload(
  ws: Workspace,
  input: { userId: string; callbackId: string; triggerId: string },
): Record<string, unknown> {
  return {
    type: 'shortcut',
    token: VERIFICATION_TOKEN,
    action_ts: now(),
    team: { id: ws.teamId, domain: ws.teamDomain },
    user: user(ws, input.userId),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
  };
}

/**
 * Values by block id: strings for text inputs and static selects, `{ conversation }` for pickers,
 * `{ files }` for a file input (files the person uploaded into it).
 */
export type ViewValues = Record<
  string,
  | string
  | { conversation: string | null }
  | { conversations: string[] }
  | { options: string[] }
  | { files: FakeFile[] }
>;

/** The `state.values` Slack reports for a modal's input blocks, filled as a person would. */
function viewState(blocks: Array<Record<string, unknown>>, values: ViewValues, origin: string) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== 'input') continue;
    const element = block.element as Record<string, unknown>;
    const blockId = block.block_id as string;
    const given = values[blockId];
    const actionId = element.action_id as string;
    if (element.type === 'plain_text_input') {
      // What the field holds: what was typed, else what it started with.
      const initial = (element.initial_value as string | undefined) ?? null;
      state[blockId] = {
        [actionId]: { type: element.type, value: typeof given === 'string' ? given : initial },
      };
    } else if (element.type === 'checkboxes') {
      const options = element.options as Array<{ text: unknown; value: string }>;
      const initial = (element.initial_options as Array<{ value: string }> | undefined) ?? [];
      const values =
        typeof given === 'object' && 'options' in given
          ? given.options
          : initial.map((option) => option.value);
      const chosen = values.map((value) => {
        const found = options.find((option) => option.value === value);
        if (!found) throw new Error(`no option ${value} in ${blockId}`);
        return found;
      });
      state[blockId] = { [actionId]: { type: element.type, selected_options: chosen } };
    } else if (element.type === 'multi_conversations_select') {
      const conversations =
        typeof given === 'object' && 'conversations' in given
          ? given.conversations
          : ((element.initial_conversations as string[] | undefined) ?? []);
      const max = element.max_selected_items as number | undefined;
      if (max !== undefined && conversations.length > max)
        throw new Error(`${blockId} takes at most ${max} conversations`);
      state[blockId] = {
        [actionId]: { type: element.type, selected_conversations: conversations },
      };
    } else if (element.type === 'static_select' || element.type === 'radio_buttons') {
      const options = element.options as Array<{ text: unknown; value: string }>;
      const initial = element.initial_option as { text: unknown; value: string } | undefined;
      const chosen =
        typeof given === 'string' ? options.find((option) => option.value === given) : initial;
      if (typeof given === 'string' && !chosen) throw new Error(`no option ${given} in ${blockId}`);
      state[blockId] = { [actionId]: { type: element.type, selected_option: chosen ?? null } };
    } else if (element.type === 'conversations_select') {
      const conversation =
        typeof given === 'object' && 'conversation' in given
          ? given.conversation
          : ((element.initial_conversation as string | undefined) ?? null);
      state[blockId] = { [actionId]: { type: element.type, selected_conversation: conversation } };
    } else if (element.type === 'file_input') {
      const files = typeof given === 'object' && 'files' in given ? given.files : [];
      // Slack's file picker takes no more than max_files, and only names with those extensions.
      const max = (element.max_files as number | undefined) ?? 10;
      if (files.length > max) throw new Error(`${blockId} takes at most ${max} files`);
      const types = element.filetypes as string[] | undefined;
      for (const file of files) {
        const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
        if (types && !types.includes(extension))
          throw new Error(`${blockId} does not take ${file.name} (${types.join(', ')})`);
      }
      state[blockId] = {
        [actionId]: {
          type: element.type,
          files: files.map((file) => slackFileObject(origin, file)),
        },
      };
    }
  }
  return state;
}

/** A modal as its payloads carry it, with what the person filled in. */
function viewObject(ws: Workspace, opened: OpenedView, values: ViewValues, origin: string) {
  const view = opened.view;
  const blocks = (view.blocks as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    id: opened.id,
    team_id: ws.teamId,
    type: view.type,
    callback_id: view.callback_id,
    private_metadata: view.private_metadata ?? '',
    blocks,
    state: { values: viewState(blocks, values, origin) },
    hash: `${opened.id}-hash`,
    title: view.title,
    app_id: ws.appId,
    bot_id: ws.botId,
  };
}

export function viewSubmissionPayload(
  ws: Workspace,
  input: {
    userId: string;
    view: OpenedView;
    values: ViewValues;
    triggerId: string;
    origin: string;
  },
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: ws.teamId, domain: ws.teamDomain },
    user: user(ws, input.userId),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: viewObject(ws, input.view, input.values, input.origin),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A button pressed inside an open modal: Slack names the view, not a message. */
export function viewActionPayload(
  ws: Workspace,
  input: {
    userId: string;
    view: OpenedView;
    actionId: string;
    blockId?: string;
    triggerId: string;
    origin: string;
  },
): Record<string, unknown> {
  const blocks = (input.view.view.blocks as unknown[] | undefined) ?? [];
  const { block, element } = findButton(blocks, input.actionId, input.blockId);
  return {
    type: 'block_actions',
    user: user(ws, input.userId),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    container: { type: 'view', view_id: input.view.id },
    trigger_id: input.triggerId,
    team: { id: ws.teamId, domain: ws.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: viewObject(ws, input.view, {}, input.origin),
    actions: [pressed({ block, element })],
  };
}

/** A message shortcut ("Edit image" in a message's menu): the message comes with its files. */
export function messageActionPayload(
  ws: Workspace,
  input: {
    userId: string;
    callbackId: string;
    message: FakeMessage;
    triggerId: string;
    responseUrl: string;
    origin: string;
  },
): Record<string, unknown> {
  const { message } = input;
  const threadTs = ws.threadOf(message);
  const files = message.files
    .map((id) => ws.files.get(id))
    .filter((file): file is FakeFile => !!file && !file.deleted)
    .map((file) => slackFileObject(input.origin, file));
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: now(),
    team: { id: ws.teamId, domain: ws.teamDomain },
    user: user(ws, input.userId),
    channel: {
      id: message.channel,
      name: ws.channels.get(message.channel)?.name ?? message.channel,
    },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: message.ts,
    message: {
      type: 'message',
      user: message.user,
      ts: message.ts,
      text: message.text ?? '',
      // In a thread (a reply, or a message with replies): the thread's first message.
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(files.length > 0 ? { files, upload: true } : {}),
    },
  };
}

/** A button pressed in a person's App Home tab: Slack names the home view, not a message. */
export function homeActionPayload(
  ws: Workspace,
  input: {
    userId: string;
    home: Record<string, unknown>;
    actionId: string;
    triggerId: string;
  },
): Record<string, unknown> {
  const { block, element } = findButton((input.home.blocks as unknown[]) ?? [], input.actionId);
  const id = typeof input.home.id === 'string' ? input.home.id : 'V0HOME';
  return {
    type: 'block_actions',
    user: user(ws, input.userId),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    container: { type: 'view', view_id: id },
    trigger_id: input.triggerId,
    team: { id: ws.teamId, domain: ws.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id,
      team_id: ws.teamId,
      type: 'home',
      blocks: input.home.blocks,
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${id}-hash`,
      app_id: ws.appId,
      bot_id: ws.botId,
    },
    actions: [pressed({ block, element })],
  };
}

export function appHomeOpenedPayload(ws: Workspace, userId: string): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    api_app_id: ws.appId,
    event: {
      type: 'app_home_opened',
      user: userId,
      channel: ws.imWith(userId).id,
      tab: 'home',
      event_ts: now(),
    },
    type: 'event_callback',
    event_id: ws.nextId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
