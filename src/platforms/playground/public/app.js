/* The playground page: plain browser JavaScript, no build step. It renders what the server
   sends over Server-Sent Events and posts commands and button clicks back as JSON. */
/* global document, EventSource, localStorage, crypto, CSS, HTMLElement, history, location, navigator */
'use strict';

import { followNewest } from './follow.js';

const VIEWER_KEY = 'gpt-image-bot.playground.viewer';
const LANGUAGE_KEY = 'gpt-image-bot.playground.language';

/**
 * The page's words, from the server's catalogue: the page arrives in the browser's language with
 * them inside (#page-messages); the switch fetches another language's from api/messages.
 */
let words = JSON.parse(document.getElementById('page-messages').textContent);

/** One of the page's messages, `{placeholders}` filled with the values as they are. */
function t(key, params = {}) {
  const template = words.messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

const state = {
  viewer: readStored(VIEWER_KEY) || 'ada',
  channel: 'general',
  users: [],
  channels: [],
  simulated: document.body.dataset.backend === 'simulated',
  messages: new Map(),
  unread: new Map(),
  /** Server time minus local time, so elapsed times tick right even on another machine. */
  clockOffset: 0,
  source: undefined,
  /** The server's id for its current run: a new one means it restarted and lost the chat. */
  bootId: undefined,
  /** Share clicks waiting for their copy to appear: card message id → target channel id. */
  sharing: new Map(),
  /** What each Share button says beside it: `${messageId}:${channelId}` → text. */
  shareNotes: new Map(),
  /** Images attached or pasted for the next message: { id, name, url } as the server kept them. */
  attachments: [],
};

const $ = (id) => document.getElementById(id);
const list = $('messages');
const input = $('message');
const follow = followNewest(list, $('jump'));

// The printed address may carry the playground's token; the server has traded it for a cookie,
// so it leaves the address bar (and the history) at once.
if (new URLSearchParams(location.search).has('token'))
  history.replaceState(null, '', location.pathname);

function readStored(key) {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private browsing may refuse storage; the choice then lasts until the page reloads.
  }
}

/** The page's fixed words in the current language: marked in index.html by data-i18n*. */
function applyLanguage() {
  document.documentElement.lang = words.locale;
  renderBackend();
  for (const node of document.querySelectorAll('[data-i18n]'))
    node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-code]'))
    node.replaceChildren(...richText(t(node.dataset.i18nCode)));
  for (const node of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split('=');
      node.setAttribute(attribute, t(key));
    }
  }
  $('language').replaceChildren(
    ...words.languages.map((language) =>
      el('option', {
        value: language.locale,
        lang: language.locale,
        text: language.name,
        selected: language.locale === words.locale,
      }),
    ),
  );
}

/** The badge saying which image API makes the images (`simulated` or `real`, on the body). */
function renderBackend() {
  $('backend').textContent = t(`playground.page.backend.${document.body.dataset.backend}`);
}

/** Another language's words (`asked`: a tag, or the browser's tags, comma-separated). */
async function loadLanguage(asked) {
  try {
    const response = await fetch(`api/messages?lang=${encodeURIComponent(asked)}`);
    if (response.ok) words = await response.json();
  } catch {
    // Unreachable: the page keeps the words it has; the connection line says what is wrong.
  }
  applyLanguage();
  if (state.users.length) renderChrome();
  renderMessages();
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

/** The same wording as elapsedText in render.ts (the page cannot import it). */
function formatElapsed(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('playground.page.elapsedSeconds', { seconds });
  return t('playground.page.elapsedMinutes', {
    minutes: Math.floor(seconds / 60),
    seconds: String(seconds % 60).padStart(2, '0'),
  });
}

function userName(id) {
  return state.users.find((user) => user.id === id)?.name ?? id;
}

function channelName(id) {
  return state.channels.find((channel) => channel.id === id)?.name ?? id;
}

// ---- live updates ---------------------------------------------------------------------------

function connect() {
  state.source?.close();
  const source = new EventSource(`api/events?viewer=${encodeURIComponent(state.viewer)}`);
  state.source = source;
  source.onopen = () => setConnection('');
  source.onerror = () =>
    setConnection(
      source.readyState === EventSource.CLOSED
        ? t('playground.page.refusedPage')
        : t('playground.page.reconnecting'),
    );
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
    if (state.bootId && event.bootId !== state.bootId) $('restarted').hidden = false;
    state.bootId = event.bootId;
    state.messages = new Map(event.messages.map((message) => [message.id, message]));
    state.unread.clear();
    renderChrome();
    renderMessages();
  } else if (event.type === 'upsert') {
    const isNew = !state.messages.has(event.message.id);
    state.messages.set(event.message.id, event.message);
    if (isNew) noteShareOutcome(event.message);
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
    removeKeepingFocus(list.querySelector(`[data-id="${CSS.escape(event.id)}"]`));
  }
}

/** A deleted card that held the focus hands it to its neighbour, or to the message box. */
function removeKeepingFocus(element) {
  if (!element) return;
  if (element.contains(document.activeElement)) {
    const neighbour = [element.nextElementSibling, element.previousElementSibling]
      .map((sibling) => sibling?.querySelector('button'))
      .find(Boolean);
    (neighbour ?? input).focus();
  }
  element.remove();
}

/** The copy of a shared card appearing (or an error for the sharer) answers the Share click. */
function noteShareOutcome(message) {
  const body = message.body;
  for (const [cardId, channelId] of state.sharing) {
    const card = state.messages.get(cardId)?.body;
    const copied =
      body.type === 'job' &&
      message.channelId === channelId &&
      body.requestId === card?.requestId &&
      body.sharedBy === userName(state.viewer);
    const refused = body.type === 'notice' && body.tone === 'error' && message.visibleTo;
    if (!copied && !refused) continue;
    state.sharing.delete(cardId);
    setShareNote(
      cardId,
      channelId,
      copied
        ? t('playground.page.sharedTo', { channel: channelName(channelId) })
        : t('playground.page.notShared'),
    );
    return;
  }
}

function setShareNote(cardId, channelId, text) {
  state.shareNotes.set(`${cardId}:${channelId}`, text);
  const message = state.messages.get(cardId);
  if (message?.channelId === state.channel) renderMessage(message, false);
}

// ---- rendering ------------------------------------------------------------------------------

function renderChrome() {
  const select = $('viewer');
  select.replaceChildren(
    ...state.users.map((user) =>
      el('option', {
        value: user.id,
        text: `${user.name} (${t(`playground.page.person.${user.id}`)})`,
        selected: user.id === state.viewer,
      }),
    ),
  );
  const channel = state.channels.find((c) => c.id === state.channel);
  $('channel-title').textContent = `# ${channel?.name ?? state.channel}`;
  $('message-label').textContent = t('playground.page.messageLabel', {
    channel: channel?.name ?? state.channel,
    user: userName(state.viewer),
  });
  document.body.dataset.backend = state.simulated ? 'simulated' : 'real';
  renderBackend();
  // The moderator is the pretend server's admin: their shortcuts to the admin commands.
  $('admin-bar').hidden =
    state.users.find((user) => user.id === state.viewer)?.role !== 'moderator';
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
                el('span', { className: 'visually-hidden', text: t('playground.page.unread') }),
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
}

function visibleMessages() {
  return [...state.messages.values()]
    .filter((message) => message.channelId === state.channel)
    .sort((a, b) => a.postedAt - b.postedAt);
}

function renderMessages() {
  list.replaceChildren(...visibleMessages().map(messageElement));
  follow.toNewest();
}

/**
 * Replaces one message in place (keeping focus on its button when it had it), or appends it;
 * either is news, unless only the page's own note beside a button changed.
 */
function renderMessage(message, news = true) {
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
  if (news) follow.arrived();
}

function privateLabel(message) {
  return message.visibleTo
    ? el('span', { className: 'private-label', text: t('playground.page.private') })
    : undefined;
}

function messageElement(message) {
  const body = message.body;
  if (body.type === 'edit-form') return editFormElement(message);
  if (body.type === 'source-pick') return sourcePickElement(message);
  if (body.type === 'post') return imagePostElement(message);
  if (body.type === 'notice') {
    return el('li', { className: `message notice ${body.tone}`, 'data-id': message.id }, [
      el('p', { className: 'meta' }, [
        el('strong', { text: 'gpt-image-bot' }),
        privateLabel(message),
      ]),
      ...body.lines.map((line) => el('p', {}, richText(line))),
      body.image
        ? el('figure', { className: 'notice-image' }, [
            el('img', { src: body.image.url, alt: body.image.alt, loading: 'lazy' }),
          ])
        : undefined,
      body.download
        ? el('p', {}, [
            el('a', {
              className: 'download',
              href: body.download.url,
              download: body.download.name,
              text: body.download.label,
            }),
          ])
        : undefined,
    ]);
  }
  const promptId = `prompt-${message.id}`;
  const meta = body.sharedBy
    ? t('playground.page.sharedBy', { sharer: body.sharedBy, requester: body.requestedBy })
    : t('playground.page.usedImagine', { requester: body.requestedBy });
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
      text: [body.options, t('playground.page.requestedBy', { requester: body.requestedBy })].join(
        ' · ',
      ),
    }),
  ];
  if (body.madeFrom) children.push(el('p', { className: 'made-from', text: body.madeFrom }));
  if (body.sources?.length) children.push(sourcesElement(body.sources));
  if (body.image) {
    children.push(
      el('figure', {}, [
        el('img', { src: body.image.url, alt: body.image.alt, loading: 'lazy' }),
        body.simulated
          ? el('span', {
              className: 'sim-badge',
              text: t('playground.page.simulatedBadge'),
              'aria-hidden': 'true',
            })
          : undefined,
      ]),
    );
  }
  if (body.actions.length > 0) {
    children.push(
      el(
        'div',
        { className: 'actions', role: 'group', 'aria-label': t('playground.page.imageActions') },
        body.actions.flatMap((action) => {
          const note = state.shareNotes.get(`${message.id}:${action.channelId}`);
          return [
            actionButton(message, action, promptId),
            action.action === 'share' && note
              ? el('span', { className: 'action-note', role: 'status', text: note })
              : undefined,
          ].filter(Boolean);
        }),
      ),
    );
  }
  return el(
    'li',
    { className: `message job ${body.state}`, 'data-id': message.id, 'data-state': body.state },
    children,
  );
}

/** The images a result started from: thumbnails the playground serves, links to public ones. */
function sourcesElement(sources) {
  return el(
    'ul',
    { className: 'sources', 'aria-label': t('playground.page.madeFrom') },
    sources.map((source) =>
      el('li', {}, [
        source.local
          ? el('img', {
              src: source.url,
              alt: t('playground.page.sourceAlt', { name: source.name }),
              loading: 'lazy',
            })
          : el('a', {
              href: source.url,
              rel: 'noopener noreferrer',
              target: '_blank',
              text: source.name,
            }),
      ]),
    ),
  );
}

function botMeta(message) {
  return el('p', { className: 'meta' }, [
    el('strong', { text: 'gpt-image-bot' }),
    privateLabel(message),
  ]);
}

/** The form asking what to change: sending it starts the edit; either way it goes away. */
function editFormElement(message) {
  const body = message.body;
  const promptId = `edit-prompt-${message.id}`;
  const field = el('textarea', {
    id: promptId,
    name: 'prompt',
    rows: '2',
    required: true,
    placeholder: t('playground.page.editPlaceholder'),
  });
  const name = { name: body.image.name };
  const form = el(
    'form',
    { className: 'edit-form', 'aria-label': t('playground.page.edit', name) },
    [
      body.image.url
        ? el('img', { src: body.image.url, alt: t('playground.page.editingAlt', name) })
        : undefined,
      el('label', { for: promptId, text: t('playground.page.editWhat', name) }),
      field,
      el('p', { className: 'cost', text: body.cost }),
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', text: t('playground.page.send') }),
        el('button', { type: 'button', className: 'cancel', text: t('playground.page.cancel') }),
      ]),
    ],
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const prompt = field.value.trim();
    if (!prompt) return field.focus();
    follow.toNewest();
    void post('api/edit', {
      viewer: state.viewer,
      messageId: message.id,
      id: newId(),
      prompt,
      locale: words.locale,
    });
  });
  form.querySelector('.cancel').addEventListener('click', () => {
    void post('api/edit', {
      viewer: state.viewer,
      messageId: message.id,
      id: newId(),
      cancel: true,
      locale: words.locale,
    });
    input.focus();
  });
  return el('li', { className: 'message edit', 'data-id': message.id }, [botMeta(message), form]);
}

/** Images someone posted without a prompt; "Edit image" edits one of them. */
function imagePostElement(message) {
  const body = message.body;
  const button = el('button', {
    type: 'button',
    text: t('playground.page.editImage'),
    'data-action': 'edit-image',
  });
  button.addEventListener('click', () =>
    post('api/action', {
      viewer: state.viewer,
      messageId: message.id,
      action: 'edit-image',
      id: newId(),
      locale: words.locale,
    }),
  );
  return el('li', { className: 'message post', 'data-id': message.id }, [
    el('p', { className: 'meta' }, [
      el('strong', { text: body.author }),
      t('playground.page.posted'),
    ]),
    el(
      'ul',
      {
        className: 'sources',
        'aria-label': t('playground.page.postedBy', { author: body.author }),
      },
      body.images.map((image) => el('li', {}, [el('img', { src: image.url, alt: image.name })])),
    ),
    el('div', { className: 'actions' }, [button]),
  ]);
}

/** Several images on a message: one button per image. */
function sourcePickElement(message) {
  const body = message.body;
  return el('li', { className: 'message edit', 'data-id': message.id }, [
    botMeta(message),
    el('p', { text: t('playground.page.whichImage') }),
    el(
      'div',
      { className: 'actions', role: 'group', 'aria-label': t('playground.page.imagesToEdit') },
      body.images.map((image, choice) => {
        const button = el('button', { type: 'button' }, [
          image.url ? el('img', { src: image.url, alt: '' }) : undefined,
          t('playground.page.edit', { name: image.name }),
        ]);
        button.addEventListener('click', () =>
          post('api/edit', {
            viewer: state.viewer,
            messageId: message.id,
            id: newId(),
            choice,
            locale: words.locale,
          }),
        );
        return button;
      }),
    ),
  ]);
}

function actionButton(message, action, promptId) {
  const button = el('button', {
    type: 'button',
    text: action.label,
    className: action.action === 'delete' ? 'danger' : undefined,
    'data-action': `${action.action}${action.channelId ? `:${action.channelId}` : ''}`,
    'aria-describedby': promptId,
  });
  // Busy, not disabled: a disabled button drops the keyboard focus to the top of the page.
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    setTimeout(() => button.removeAttribute('aria-disabled'), 1500);
    if (action.action === 'share') {
      state.sharing.set(message.id, action.channelId);
      setShareNote(message.id, action.channelId, t('playground.page.sharing'));
    }
    const sent = await post('api/action', {
      viewer: state.viewer,
      messageId: message.id,
      action: action.action,
      channel: action.channelId,
      id: newId(),
      locale: words.locale,
    });
    if (!sent && action.action === 'share') {
      state.sharing.delete(message.id);
      setShareNote(message.id, action.channelId, t('playground.page.notSharedRefused'));
    }
  });
  return button;
}

/** Between the server's updates, the elapsed time of generating cards ticks every second. */
function tick() {
  const now = Date.now() + state.clockOffset;
  for (const status of list.querySelectorAll('.status[data-since]'))
    status.textContent = t('playground.page.generating', {
      elapsed: formatElapsed(now - Number(status.dataset.since)),
    });
}

// ---- sending --------------------------------------------------------------------------------

async function post(path, body) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) setConnection(t('playground.page.refused', { status: response.status }));
    return response.ok;
  } catch {
    setConnection(t('playground.page.unreachable'));
    return false;
  }
}

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  // Images alone are posted as they are; a prompt with them starts from them.
  if (!text && state.attachments.length === 0) return;
  // Whoever sends wants to see what comes of it, even after reading back.
  follow.toNewest();
  const attachments = state.attachments.map((attachment) => attachment.id);
  const sent = await post('api/command', {
    viewer: state.viewer,
    channel: state.channel,
    text,
    id: newId(),
    ...(attachments.length ? { attachments } : {}),
    locale: words.locale,
  });
  if (sent) {
    input.value = '';
    state.attachments = [];
    renderAttachments();
  }
});

/** The admin bar's buttons send the typed admin commands; answers come as private cards. */
for (const button of document.querySelectorAll('[data-admin]')) {
  button.addEventListener('click', () => {
    follow.toNewest();
    void post('api/command', {
      viewer: state.viewer,
      channel: state.channel,
      text: `/imagine admin ${button.dataset.admin}`,
      id: newId(),
      locale: words.locale,
    });
  });
}

// ---- attached and pasted images --------------------------------------------------------------

/**
 * Each image goes to the playground at once. One it refuses (not an image, too large) is said in
 * the channel, privately, like any refusal; this note is for the playground not answering.
 */
async function attach(files) {
  for (const file of files) {
    const query = new URLSearchParams({
      viewer: state.viewer,
      channel: state.channel,
      id: newId(),
      name: file.name || t('playground.page.pastedImage'),
      lang: words.locale,
    });
    try {
      const response = await fetch(`api/upload?${query}`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      });
      const answer = await response.json();
      setAttachNote('');
      // A refused file is said in the channel (like any refusal), at the bottom.
      if (response.ok && answer.id)
        state.attachments.push({ id: answer.id, name: answer.name, url: answer.url });
      else if (response.ok) follow.toNewest();
      else setAttachNote(t('playground.page.imageRefused', { status: response.status }));
    } catch {
      setAttachNote(t('playground.page.attachUnreachable'));
    }
  }
  renderAttachments();
}

function setAttachNote(text) {
  $('attach-note').textContent = text;
}

function renderAttachments() {
  $('attachments').replaceChildren(
    ...state.attachments.map((attachment) => {
      const remove = el('button', {
        type: 'button',
        className: 'remove',
        text: '×',
        'aria-label': t('playground.page.remove', { name: attachment.name }),
      });
      remove.addEventListener('click', () => {
        state.attachments = state.attachments.filter((kept) => kept !== attachment);
        renderAttachments();
        input.focus();
      });
      return el('li', {}, [
        el('img', { src: attachment.url, alt: attachment.name }),
        el('span', { className: 'name', text: attachment.name }),
        remove,
      ]);
    }),
  );
}

$('attach').addEventListener('change', async (event) => {
  await attach([...event.target.files]);
  event.target.value = '';
});

input.addEventListener('paste', (event) => {
  const files = [...(event.clipboardData?.files ?? [])].filter((file) =>
    file.type.startsWith('image/'),
  );
  if (files.length === 0) return;
  event.preventDefault();
  void attach(files);
});

$('viewer').addEventListener('change', (event) => {
  state.viewer = event.target.value;
  store(VIEWER_KEY, state.viewer);
  connect();
});

// The page follows the browser's language until someone picks one here; the pick is remembered.
$('language').addEventListener('change', (event) => {
  store(LANGUAGE_KEY, event.target.value);
  void loadLanguage(event.target.value);
});

// The "New messages" button goes away once clicked; the focus goes back to the message box.
$('jump').addEventListener('click', () => input.focus());

$('restarted-dismiss').addEventListener('click', () => {
  $('restarted').hidden = true;
  input.focus();
});

/**
 * The browser's first language the page speaks (matched by language, as the server matches: any
 * Chinese reads Simplified Chinese), or undefined.
 */
function browserLocale() {
  const primary = (tag) => tag.split(/[-_]/)[0].toLowerCase();
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = words.languages.find((language) => primary(language.locale) === primary(tag));
    if (match) return match.locale;
  }
  return undefined;
}

applyLanguage();
// A language picked before wins; else the browser's (the server usually followed it already).
const wanted = readStored(LANGUAGE_KEY) ?? browserLocale();
if (wanted && wanted !== words.locale) void loadLanguage(wanted);
input.focus();
setInterval(tick, 1000);
connect();
