/* The playground page: plain browser JavaScript, no build step. It renders what the server
   sends over Server-Sent Events and posts commands and button clicks back as JSON. */
/* global document, window, EventSource, localStorage, crypto, CSS, HTMLElement */
'use strict';

const VIEWER_KEY = 'gpt-image-bot.playground.viewer';

const state = {
  viewer: readViewer(),
  channel: 'general',
  users: [],
  channels: [],
  simulated: document.body.dataset.backend === 'simulated',
  messages: new Map(),
  unread: new Map(),
  /** Server time minus local time, so elapsed times tick right even on another machine. */
  clockOffset: 0,
  source: undefined,
};

const $ = (id) => document.getElementById(id);
const list = $('messages');
const input = $('message');

function readViewer() {
  try {
    return localStorage.getItem(VIEWER_KEY) || 'ada';
  } catch {
    return 'ada';
  }
}

function saveViewer(id) {
  try {
    localStorage.setItem(VIEWER_KEY, id);
  } catch {
    // Private browsing may refuse storage; the choice then lasts until the page reloads.
  }
}

/** Ids for commands and clicks: the server uses them as request ids, so a resend never charges twice. */
function newId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Text from the server, with `code` spans shown as code; never parsed as HTML. */
function richText(text) {
  return text.split('`').map((part, index) => (index % 2 ? el('code', { text: part }) : part));
}

/** The same wording as formatElapsed in src/platforms/view-text.ts (the page cannot import it). */
function formatElapsed(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

function userName(id) {
  return state.users.find((user) => user.id === id)?.name ?? id;
}

// ---- live updates ---------------------------------------------------------------------------

function connect() {
  state.source?.close();
  const source = new EventSource(`api/events?viewer=${encodeURIComponent(state.viewer)}`);
  state.source = source;
  source.onopen = () => setConnection('');
  source.onerror = () => setConnection('Connection lost; reconnecting…');
  source.onmessage = (event) => receive(JSON.parse(event.data));
}

function setConnection(text) {
  $('connection').textContent = text;
}

function receive(event) {
  if (event.type === 'snapshot') {
    state.users = event.users;
    state.channels = event.channels;
    state.simulated = event.simulated;
    state.clockOffset = event.serverNow - Date.now();
    state.messages = new Map(event.messages.map((message) => [message.id, message]));
    state.unread.clear();
    renderChrome();
    renderMessages();
  } else if (event.type === 'upsert') {
    const isNew = !state.messages.has(event.message.id);
    state.messages.set(event.message.id, event.message);
    if (event.message.channelId === state.channel) renderMessage(event.message);
    else if (isNew) {
      state.unread.set(
        event.message.channelId,
        (state.unread.get(event.message.channelId) ?? 0) + 1,
      );
      renderChannels();
    }
  } else if (event.type === 'remove') {
    state.messages.delete(event.id);
    list.querySelector(`[data-id="${CSS.escape(event.id)}"]`)?.remove();
  }
}

// ---- rendering ------------------------------------------------------------------------------

function renderChrome() {
  const select = $('viewer');
  select.replaceChildren(
    ...state.users.map((user) =>
      el('option', {
        value: user.id,
        text: `${user.name} (${user.description})`,
        selected: user.id === state.viewer,
      }),
    ),
  );
  const channel = state.channels.find((c) => c.id === state.channel);
  $('channel-title').textContent = `# ${channel?.name ?? state.channel}`;
  $('message-label').textContent =
    `Message #${channel?.name ?? state.channel} as ${userName(state.viewer)}`;
  document.body.dataset.backend = state.simulated ? 'simulated' : 'real';
  renderChannels();
}

function renderChannels() {
  $('channels').replaceChildren(
    ...state.channels.map((channel) => {
      const unread = state.unread.get(channel.id) ?? 0;
      const button = el(
        'button',
        { type: 'button', 'aria-current': channel.id === state.channel ? 'page' : undefined },
        [
          `# ${channel.name}`,
          unread
            ? el('span', { className: 'unread' }, [
                String(unread),
                el('span', { className: 'visually-hidden', text: ' new' }),
              ])
            : undefined,
        ],
      );
      button.addEventListener('click', () => switchChannel(channel.id));
      return el('li', {}, [button]);
    }),
  );
}

function switchChannel(id) {
  state.channel = id;
  state.unread.delete(id);
  renderChrome();
  renderMessages();
  input.focus();
}

function visibleMessages() {
  return [...state.messages.values()]
    .filter((message) => message.channelId === state.channel)
    .sort((a, b) => a.postedAt - b.postedAt);
}

function renderMessages() {
  list.replaceChildren(...visibleMessages().map(messageElement));
  list.scrollTop = list.scrollHeight;
}

/** Replaces one message in place (keeping focus on its button when it had it), or appends it. */
function renderMessage(message) {
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const element = messageElement(message);
  const existing = list.querySelector(`[data-id="${CSS.escape(message.id)}"]`);
  if (existing) {
    const focused = existing.contains(document.activeElement) ? document.activeElement : undefined;
    existing.replaceWith(element);
    if (focused instanceof HTMLElement && focused.dataset.action)
      element.querySelector(`[data-action="${focused.dataset.action}"]`)?.focus();
  } else {
    list.append(element);
  }
  if (nearBottom || !existing) list.scrollTop = list.scrollHeight;
}

function privateLabel(message) {
  return message.visibleTo
    ? el('span', { className: 'private-label', text: 'Only you can see this' })
    : undefined;
}

function messageElement(message) {
  const body = message.body;
  if (body.type === 'notice') {
    return el('li', { className: `message notice ${body.tone}`, 'data-id': message.id }, [
      el('p', { className: 'meta' }, [
        el('strong', { text: 'gpt-image-bot' }),
        privateLabel(message),
      ]),
      ...body.lines.map((line) => el('p', {}, richText(line))),
    ]);
  }
  const promptId = `prompt-${message.id}`;
  const meta = body.sharedBy
    ? `shared by ${body.sharedBy} · requested by ${body.requestedBy}`
    : `${body.requestedBy} used /imagine`;
  const status = el('p', {
    className: 'status',
    text: body.status,
    'data-since': body.state === 'generating' ? String(body.since) : undefined,
  });
  const children = [
    el('p', { className: 'meta' }, [
      el('strong', { text: 'gpt-image-bot' }),
      ` · ${meta}`,
      privateLabel(message),
    ]),
    status,
    el('blockquote', { className: 'prompt', id: promptId, text: body.prompt }),
    el('p', {
      className: 'details',
      text: [body.options, `requested by ${body.requestedBy}`].join(' · '),
    }),
  ];
  if (body.image) {
    children.push(
      el('figure', {}, [
        el('img', { src: body.image.url, alt: body.image.alt, loading: 'lazy' }),
        body.simulated
          ? el('span', { className: 'sim-badge', text: 'Simulated', 'aria-hidden': 'true' })
          : undefined,
      ]),
    );
  }
  if (body.actions.length > 0) {
    children.push(
      el(
        'div',
        { className: 'actions', role: 'group', 'aria-label': 'Image actions' },
        body.actions.map((action) => actionButton(message, action, promptId)),
      ),
    );
  }
  return el(
    'li',
    { className: `message job ${body.state}`, 'data-id': message.id, 'data-state': body.state },
    children,
  );
}

function actionButton(message, action, promptId) {
  const button = el('button', {
    type: 'button',
    text: action.label,
    className: action.action === 'delete' ? 'danger' : undefined,
    'data-action': `${action.action}${action.channelId ? `:${action.channelId}` : ''}`,
    'aria-describedby': promptId,
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    setTimeout(() => (button.disabled = false), 1500);
    void post('api/action', {
      viewer: state.viewer,
      messageId: message.id,
      action: action.action,
      channel: action.channelId,
      id: newId(),
    });
  });
  return button;
}

/** Between the server's updates, the elapsed time of generating cards ticks every second. */
function tick() {
  const now = Date.now() + state.clockOffset;
  for (const status of list.querySelectorAll('.status[data-since]'))
    status.textContent = `Generating… ${formatElapsed(now - Number(status.dataset.since))}`;
}

// ---- sending --------------------------------------------------------------------------------

async function post(path, body) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) setConnection(`The playground refused that (${response.status}).`);
    return response.ok;
  } catch {
    setConnection('Could not reach the playground; is `npm start` still running?');
    return false;
  }
}

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  const sent = await post('api/command', {
    viewer: state.viewer,
    channel: state.channel,
    text,
    id: newId(),
  });
  if (sent) input.value = '';
});

$('viewer').addEventListener('change', (event) => {
  state.viewer = event.target.value;
  saveViewer(state.viewer);
  connect();
});

window.addEventListener('DOMContentLoaded', () => input.focus());
setInterval(tick, 1000);
connect();
