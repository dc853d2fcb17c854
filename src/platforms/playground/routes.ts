import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson, type HttpServer, type RouteHandler } from '../../http/server.js';
import type { PlaygroundAccess } from './access.js';
import { ASSET_NAMES, type Asset } from './assets.js';
import type { PlaygroundContext } from './context.js';
import { handleClick, handleEditStep, handleTypedLine, refuseUpload } from './interaction.js';
import { MAX_UPLOAD_BYTES, UPLOAD_ROUTE } from './uploads.js';
import { FILE_ROUTE } from './attached-files.js';
import type { LiveUpdates } from './live.js';
import { PLAYGROUND_PATH } from './paths.js';
import { findChannel, findUser, PLAYGROUND_CHANNELS, PLAYGROUND_USERS } from './people.js';
import { backendLabel } from './render.js';
import { isUserError } from '../../core/errors.js';
import { translate, type Locale } from '../../i18n/index.js';
import { localizePage, pageMessages, requestLocale } from './page-language.js';

export interface RouteOptions {
  context: PlaygroundContext;
  live: LiveUpdates;
  assets: Map<string, Asset> | undefined;
  /** Anyone reaching the page could spend the API key's credits: who may, and from where. */
  access: PlaygroundAccess;
  /** New at every start, so an open page can tell the server restarted (and lost the chat). */
  bootId: string;
}

const MAX_BODY_BYTES = 256 * 1024;
/** The page makes its ids with crypto.getRandomValues; they become request ids (X-Request-ID). */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** The page's language (its switch, else the browser's): the answers speak it. */
const localeTag = z.string().max(200).optional();

const commandBody = z.object({
  viewer: z.string(),
  channel: z.string(),
  text: z.string().max(40_000),
  id: clientId,
  /** Upload ids; more than three are refused by the conversation, in its words. */
  attachments: z.array(z.string().max(64)).max(10).optional(),
  locale: localeTag,
});

const actionBody = z.object({
  viewer: z.string(),
  messageId: z.string().max(64),
  action: z.enum(['reroll', 'retry', 'edit', 'vary', 'upscale', 'share', 'delete', 'edit-image']),
  channel: z.string().optional(),
  id: clientId,
  locale: localeTag,
});

const editStepBody = z.object({
  viewer: z.string(),
  messageId: z.string().max(64),
  id: clientId,
  prompt: z.string().max(40_000).optional(),
  choice: z.number().int().min(0).max(10).optional(),
  cancel: z.boolean().optional(),
  locale: localeTag,
});

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return undefined;
  const body = await readUpTo(request, MAX_BODY_BYTES);
  if (!body) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The page in the browser's language (the script then follows the page's own switch). The backend
 * badge is in the HTML itself, so it shows before (and without) the script.
 */
function renderPage(page: Buffer, simulated: boolean, locale: Locale): string {
  return localizePage(
    page
      .toString('utf8')
      .replaceAll('{{BACKEND_KIND}}', simulated ? 'simulated' : 'real')
      .replaceAll('{{BACKEND_LABEL}}', backendLabel(simulated, locale)),
    locale,
  );
}

/**
 * The request's body, or undefined past the limit. Past it the rest is read and dropped rather
 * than cut off: closing the connection mid-upload would reset it before the sender reads the answer.
 */
function readUpTo(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

function sendImage(
  response: ServerResponse,
  image: { bytes: Buffer; contentType: string } | undefined,
  cacheControl: string,
  locale: Locale,
): void {
  if (!image) return sendText(response, 404, translate(locale, 'playground.http.imageGone'));
  response.writeHead(200, {
    'content-type': /^image\/(png|jpeg|webp|gif)$/.test(image.contentType)
      ? image.contentType
      : 'application/octet-stream',
    'cache-control': cacheControl,
    'content-length': image.bytes.length,
  });
  response.end(image.bytes);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

export function registerRoutes(http: HttpServer, options: RouteOptions): void {
  const { context, live, assets, access } = options;
  const path = (rest: string) => `${PLAYGROUND_PATH}${rest}`;
  /** The language a request speaks: `asked` from the page, else the browser's, else the default. */
  const localeOf = (request: IncomingMessage, asked: string | null | undefined) =>
    requestLocale(asked, request.headers['accept-language'], context.defaultLocale);

  /**
   * Every playground route: only for those allowed (see PlaygroundAccess), never cached or sniffed.
   * The page itself may instead carry the token, which buys the visitor a session cookie.
   */
  const route = (
    at: string,
    method: 'GET' | 'POST',
    handler: RouteHandler,
    /** Redirects say nothing, and the session cookie is not sent outside the page's path. */
    needsSession = true,
  ) =>
    http.route(at, async (request, response) => {
      response.setHeader('x-content-type-options', 'nosniff');
      response.setHeader('referrer-policy', 'no-referrer');
      const tokenLogin = at === PLAYGROUND_PATH && access.presentedToken(request);
      if (tokenLogin === 'valid') response.setHeader('set-cookie', access.sessionCookie());
      const refusal =
        tokenLogin === 'wrong'
          ? {
              status: 401 as const,
              message: translate(localeOf(request, undefined), 'playground.access.wrongToken'),
            }
          : access.refusal(
              request,
              needsSession && tokenLogin !== 'valid',
              localeOf(request, undefined),
            );
      if (refusal) return sendText(response, refusal.status, refusal.message);
      if (request.method !== method) {
        response.setHeader('allow', method);
        return sendJson(response, 405, { error: `use ${method}` });
      }
      await handler(request, response);
    });

  // Keeps the query, so the address with `?token=` works from the site's root too.
  const redirect: RouteHandler = (request, response) => {
    const query = (request.url ?? '').replace(/^[^?]*/, '');
    response.writeHead(302, { location: `${PLAYGROUND_PATH}${query}` });
    response.end();
  };
  route('/', 'GET', redirect, false);
  route(PLAYGROUND_PATH.replace(/\/$/, ''), 'GET', redirect, false);

  for (const name of ASSET_NAMES) {
    route(name === 'index.html' ? PLAYGROUND_PATH : path(name), 'GET', (request, response) => {
      const asset = assets?.get(name);
      if (!asset)
        return sendText(
          response,
          500,
          translate(localeOf(request, undefined), 'playground.http.pageMissing'),
        );
      response.writeHead(200, {
        'content-type': asset.contentType,
        'cache-control': 'no-cache',
        ...(name === 'index.html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
      });
      response.end(
        name === 'index.html'
          ? renderPage(asset.body, context.simulated, localeOf(request, undefined))
          : asset.body,
      );
    });
  }

  // The page's words in one language (`?lang=` its switch or the browser's languages), and the
  // languages it may switch to.
  route(path('api/messages'), 'GET', (request, response) => {
    const asked = new URL(request.url ?? '', 'http://x').searchParams.get('lang');
    sendJson(response, 200, pageMessages(localeOf(request, asked)));
  });

  route(path('api/events'), 'GET', (request, response) => {
    const viewer = findUser(new URL(request.url ?? '', 'http://x').searchParams.get('viewer'));
    if (!viewer) return sendJson(response, 400, { error: 'unknown viewer' });
    live.open(request, response, viewer, {
      viewer: viewer.id,
      users: PLAYGROUND_USERS,
      channels: PLAYGROUND_CHANNELS,
      simulated: context.simulated,
      serverNow: Date.now(),
      bootId: options.bootId,
    });
  });

  route(path('api/image'), 'GET', (request, response) => {
    const id = new URL(request.url ?? '', 'http://x').searchParams.get('id') ?? '';
    sendImage(
      response,
      context.images.get(id),
      'private, max-age=86400, immutable',
      localeOf(request, undefined),
    );
  });

  // An attached or pasted image: raw bytes; `?name=` the file's name, `id` the page's id for this
  // attach. Kept until a message sends it; a file refused is said in the channel, privately.
  route(path(UPLOAD_ROUTE), 'POST', async (request, response) => {
    const query = new URL(request.url ?? '', 'http://x').searchParams;
    const user = findUser(query.get('viewer'));
    const channel = findChannel(query.get('channel'));
    const id = clientId.safeParse(query.get('id'));
    if (!user || !channel || !id.success)
      return sendJson(response, 400, { error: 'expected ?viewer=…&channel=…&id=…&name=…' });
    const name = query.get('name') ?? undefined;
    const locale = localeOf(request, query.get('lang'));
    const bytes = await readUpTo(request, MAX_UPLOAD_BYTES);
    try {
      sendJson(response, 201, context.uploads.accept(bytes ?? 'too-large', name));
    } catch (error) {
      if (!isUserError(error)) throw error;
      // The request itself was fine and is answered (in the channel, like every refusal): a 4xx
      // would also be a console error on the page.
      sendJson(response, 200, { refused: error.code, error: error.message });
      const requestId = `playground-${id.data}`;
      const shown = typeof error.params.name === 'string' ? error.params.name : 'image';
      await refuseUpload(
        context,
        { user, channelId: channel.id, requestId, name: shown, locale },
        error,
      );
    }
  });

  // An admin's chart or export, linked from their private card only (the id cannot be guessed).
  route(path(FILE_ROUTE), 'GET', (request, response) => {
    const id = new URL(request.url ?? '', 'http://x').searchParams.get('id') ?? '';
    const file = context.files.get(id);
    if (!file)
      return sendText(
        response,
        404,
        translate(localeOf(request, undefined), 'playground.http.fileGone'),
      );
    const saved = file.contentType === 'text/csv';
    response.writeHead(200, {
      'content-type': saved ? 'text/csv; charset=utf-8' : file.contentType,
      // The export is saved, not shown; the chart shows on the card.
      'content-disposition': `${saved ? 'attachment' : 'inline'}; filename="${file.name ?? 'file'}"`,
      'cache-control': 'private, no-store',
      'content-length': file.bytes.length,
    });
    response.end(file.bytes);
  });

  route(path(`${UPLOAD_ROUTE}/image`), 'GET', (request, response) => {
    const id = new URL(request.url ?? '', 'http://x').searchParams.get('id') ?? '';
    sendImage(
      response,
      context.uploads.get(id),
      'private, max-age=3600',
      localeOf(request, undefined),
    );
  });

  // Commands are acknowledged at once; what happens next arrives on the event stream.
  route(path('api/command'), 'POST', async (request, response) => {
    const body = commandBody.safeParse(await readJson(request));
    const user = body.success ? findUser(body.data.viewer) : undefined;
    const channel = body.success ? findChannel(body.data.channel) : undefined;
    if (!body.success || !user || !channel)
      return sendJson(response, 400, { error: 'expected JSON { viewer, channel, text, id }' });
    sendJson(response, 202, { accepted: true });
    await handleTypedLine(context, {
      user,
      channelId: channel.id,
      requestId: `playground-${body.data.id}`,
      locale: localeOf(request, body.data.locale),
      text: body.data.text,
      ...(body.data.attachments ? { attachments: body.data.attachments } : {}),
    });
  });

  route(path('api/action'), 'POST', async (request, response) => {
    const body = actionBody.safeParse(await readJson(request));
    const user = body.success ? findUser(body.data.viewer) : undefined;
    if (!body.success || !user)
      return sendJson(response, 400, { error: 'expected JSON { viewer, messageId, action, id }' });
    sendJson(response, 202, { accepted: true });
    await handleClick(context, {
      user,
      action: body.data.action,
      messageId: body.data.messageId,
      requestId: `playground-${body.data.id}`,
      locale: localeOf(request, body.data.locale),
      ...(body.data.channel ? { channelId: body.data.channel } : {}),
    });
  });

  // The edit form sent or cancelled, or an image picked: the form's message says what it edits.
  route(path('api/edit'), 'POST', async (request, response) => {
    const body = editStepBody.safeParse(await readJson(request));
    const user = body.success ? findUser(body.data.viewer) : undefined;
    if (!body.success || !user)
      return sendJson(response, 400, { error: 'expected JSON { viewer, messageId, id, prompt? }' });
    sendJson(response, 202, { accepted: true });
    const { messageId, id, prompt, choice, cancel, locale } = body.data;
    await handleEditStep(context, {
      user,
      messageId,
      requestId: `playground-${id}`,
      locale: localeOf(request, locale),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(choice !== undefined ? { choice } : {}),
      ...(cancel ? { cancel } : {}),
    });
  });
}
