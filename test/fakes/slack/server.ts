import { createHmac } from 'node:crypto';
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateBlocks } from './blocks.js';
import {
  appHomeOpenedPayload,
  blockActionsPayload,
  homeActionPayload,
  messageActionPayload,
  shortcutPayload,
  slashCommandPayload,
  viewActionPayload,
  viewSubmissionPayload,
  type ViewValues,
} from './payloads.js';
import { SocketModeServer } from './socket-mode.js';
import { SlackError, webApiMethods, type Args, type Method } from './web-api.js';
import { slackFileObject } from './files.js';
import {
  Workspace,
  type EphemeralMessage,
  type FakeFile,
  type FakeMessage,
  type OpenedView,
} from './workspace.js';

export const FAKE_BOT_TOKEN = 'xoxb-fake-bot-token';
export const FAKE_APP_TOKEN = 'xapp-fake-app-token';
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface RecordedCall {
  method: string;
  args: Args;
  at: number;
  error?: string;
}

interface Fault {
  method: string;
  /** A Slack error string, or `delay` to answer normally but late. */
  error: string;
  times: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

/**
 * The bot's next call of `method` (a Web API method, or `upload` for the bytes of a files v2
 * upload) is taken in and never answered, as when the bot dies waiting for it: with `applied`,
 * Slack carried it out first; without, it was lost on the way.
 */
export interface HoldRule {
  method: string;
  applied: boolean;
}

export interface HttpDeliveryTarget {
  /** The bot's events URL, e.g. http://127.0.0.1:PORT/slack/events */
  url: string;
  signingSecret: string;
}

export interface SignedPostOptions {
  /** Seconds since the epoch to sign with; Slack refuses requests older than 5 minutes. */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface AckResult {
  /** The body of the ack: a Socket Mode ack payload, or the HTTP response body as JSON. */
  body: Record<string, unknown>;
  /** HTTP mode only. */
  status?: number;
}

export interface SlashCommandInput {
  text: string;
  userId: string;
  channelId: string;
  /** Reuse an earlier trigger (a redelivery of the same command). */
  triggerId?: string;
  responseUrl?: string;
  retry?: { attempt: number; reason: string };
}

export interface SlashCommandResult extends AckResult {
  triggerId: string;
  responseUrl: string;
}

/**
 * A fake of the parts of Slack the bot uses, on 127.0.0.1: the Web API (with Slack's errors and
 * rate limits), Socket Mode, the files v2 upload flow, response_urls, and a driver that plays the
 * user (slash commands, buttons, modals, App Home) over Socket Mode or as signed HTTP requests.
 */
export class FakeSlack {
  readonly workspace = new Workspace();
  readonly socket: SocketModeServer;
  readonly calls: RecordedCall[] = [];
  /** Every request for a file's bytes, and whether it carried the bot token. */
  readonly fileDownloads: Array<{ fileId: string; authorized: boolean }> = [];
  /** Added to the clock when judging a response_url's age, to test the 30-minute limit. */
  responseUrlClockOffsetMs = 0;
  private readonly methods: Record<string, Method>;
  private readonly faults: Fault[] = [];
  private readonly holds: Array<HoldRule & { reached: () => void }> = [];
  private readonly server: Server;
  private http: HttpDeliveryTarget | undefined;
  private origin = '';

  constructor() {
    this.socket = new SocketModeServer(this.workspace.appId);
    this.methods = webApiMethods(this.workspace, FAKE_BOT_TOKEN, FAKE_APP_TOKEN);
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    this.server.on('upgrade', (request, socket, head) => {
      if ((request.url ?? '').startsWith('/link/'))
        this.socket.handleUpgrade(request, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What SLACK_API_URL should be. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** From now on, user actions arrive as signed HTTP requests instead of Socket Mode envelopes. */
  useHttp(target: HttpDeliveryTarget): void {
    this.http = target;
  }

  async close(): Promise<void> {
    this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------------
  // Faults and inspection
  // ---------------------------------------------------------------------------------------------

  /**
   * The next `times` calls of a method fail with Slack's error (`ratelimited` as HTTP 429 +
   * Retry-After; `http_500` as an HTML error page, like an outage).
   */
  failNext(
    method: string,
    error: string,
    options: { times?: number; retryAfterSeconds?: number } = {},
  ): void {
    this.faults.push({
      method,
      error,
      times: options.times ?? 1,
      ...(options.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: options.retryAfterSeconds }
        : {}),
    });
  }

  /** Holds the next matching call (see HoldRule); resolves once it has arrived (and been applied). */
  holdNext(rule: HoldRule): Promise<void> {
    return new Promise((reached) => this.holds.push({ ...rule, reached }));
  }

  /** The next call of a method is answered normally, but only after `ms` (a slow Slack). */
  delayNext(method: string, ms: number): void {
    this.faults.push({ method, error: 'delay', times: 1, delayMs: ms });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /**
   * Messages in a channel as people see them now (deleted ones gone), oldest first: the channel's
   * own, not replies inside threads (see repliesIn).
   */
  messagesIn(channel: string): FakeMessage[] {
    return this.workspace.messages.filter(
      (message) =>
        message.channel === channel && !message.deleted && message.threadTs === undefined,
    );
  }

  /** The replies in a thread as people see them now, oldest first. */
  repliesIn(channel: string, threadTs: string): FakeMessage[] {
    return this.workspace.messages.filter(
      (message) => message.channel === channel && !message.deleted && message.threadTs === threadTs,
    );
  }

  allMessagesIn(channel: string): FakeMessage[] {
    return this.workspace.messages.filter((message) => message.channel === channel);
  }

  ephemeralsFor(user: string): EphemeralMessage[] {
    return this.workspace.ephemerals.filter((message) => message.user === user);
  }

  fileBytes(fileId: string): Buffer | undefined {
    return this.workspace.files.get(fileId)?.bytes;
  }

  viewsOpenedBy(user: string): OpenedView[] {
    return this.workspace.views.filter((view) => view.user === user);
  }

  homeOf(user: string): Record<string, unknown> | undefined {
    return this.workspace.homeViews.get(user)?.at(-1);
  }

  // ---------------------------------------------------------------------------------------------
  // Playing the user
  // ---------------------------------------------------------------------------------------------

  async slashCommand(input: SlashCommandInput): Promise<SlashCommandResult> {
    const triggerId = input.triggerId ?? this.workspace.issueTrigger(input.userId);
    const responseUrl = input.responseUrl ?? this.issueResponseUrl(input.userId, input.channelId);
    const payload = slashCommandPayload(this.workspace, { ...input, triggerId, responseUrl });
    const ack = await this.deliver('slash_commands', payload, input.retry);
    return { ...ack, triggerId, responseUrl };
  }

  /** Clicks a button on a message (or an ephemeral message) by its action id. */
  async clickButton(input: {
    userId: string;
    actionId: string;
    message?: FakeMessage;
    ephemeral?: EphemeralMessage;
    /** Reuse an earlier click's trigger (a redelivery of the same click). */
    triggerId?: string;
    retry?: { attempt: number; reason: string };
  }): Promise<AckResult & { triggerId: string }> {
    const channel = input.message?.channel ?? input.ephemeral?.channel ?? '';
    const triggerId = input.triggerId ?? this.workspace.issueTrigger(input.userId);
    const thread = input.message
      ? this.workspace.threadOf(input.message)
      : input.ephemeral?.threadTs;
    const responseUrl = this.issueResponseUrl(input.userId, channel, thread);
    const payload = blockActionsPayload(this.workspace, { ...input, triggerId, responseUrl });
    const ack = await this.deliver('interactive', payload, input.retry);
    return { ...ack, triggerId };
  }

  /** The global shortcut from the lightning menu. */
  shortcut(input: { userId: string; callbackId: string }): Promise<AckResult> {
    const triggerId = this.workspace.issueTrigger(input.userId);
    return this.deliver('interactive', shortcutPayload(this.workspace, { ...input, triggerId }));
  }

  /** Submits an opened modal, filled in with values by block id. */
  async submitView(input: {
    userId: string;
    view: OpenedView;
    values: ViewValues;
  }): Promise<AckResult & { triggerId: string }> {
    const triggerId = this.workspace.issueTrigger(input.userId);
    const payload = viewSubmissionPayload(this.workspace, {
      ...input,
      triggerId,
      origin: this.origin,
    });
    const ack = await this.deliver('interactive', payload);
    // Slack shows `errors` under input blocks only; a key naming anything else is refused.
    const errors = ack.body.errors as Record<string, unknown> | undefined;
    if (ack.body.response_action === 'errors') {
      const inputs = ((input.view.view.blocks as Array<Record<string, unknown>>) ?? [])
        .filter((block) => block.type === 'input')
        .map((block) => block.block_id);
      const stray = Object.keys(errors ?? {}).filter((key) => !inputs.includes(key));
      if (!errors || stray.length > 0)
        throw new Error(
          `response_action errors for blocks that are not inputs: ${stray.join(', ')}`,
        );
    }
    return { ...ack, triggerId };
  }

  /**
   * Presses a button in the person's App Home tab, as last published to them, or in `home` (a
   * forged click: a tab published to someone else).
   */
  async clickInHome(input: {
    userId: string;
    actionId: string;
    home?: Record<string, unknown>;
  }): Promise<AckResult & { triggerId: string }> {
    const home = input.home ?? this.homeOf(input.userId);
    if (!home) throw new Error(`no App Home published to ${input.userId}`);
    const triggerId = this.workspace.issueTrigger(input.userId);
    const payload = homeActionPayload(this.workspace, { ...input, home, triggerId });
    return { ...(await this.deliver('interactive', payload)), triggerId };
  }

  /** Presses a button inside an open modal (`blockId` picks one of several with the same action). */
  async clickInView(input: {
    userId: string;
    view: OpenedView;
    actionId: string;
    blockId?: string;
  }): Promise<AckResult & { triggerId: string }> {
    const triggerId = this.workspace.issueTrigger(input.userId);
    const payload = viewActionPayload(this.workspace, { ...input, triggerId, origin: this.origin });
    return { ...(await this.deliver('interactive', payload)), triggerId };
  }

  /** A message shortcut chosen from a message's menu (e.g. "Edit image"). */
  async messageShortcut(input: {
    userId: string;
    callbackId: string;
    message: FakeMessage;
  }): Promise<AckResult & { triggerId: string }> {
    const triggerId = this.workspace.issueTrigger(input.userId);
    const responseUrl = this.issueResponseUrl(
      input.userId,
      input.message.channel,
      this.workspace.threadOf(input.message),
    );
    const payload = messageActionPayload(this.workspace, {
      ...input,
      triggerId,
      responseUrl,
      origin: this.origin,
    });
    return { ...(await this.deliver('interactive', payload)), triggerId };
  }

  /** A file a person uploaded, as Slack describes it in payloads (private URLs, mimetype, size). */
  fileObject(file: FakeFile): Record<string, unknown> {
    return slackFileObject(this.origin, file);
  }

  openAppHome(userId: string): Promise<AckResult> {
    return this.deliver('events_api', appHomeOpenedPayload(this.workspace, userId));
  }

  /** Sends a raw body to the bot's HTTP endpoint, signed unless told otherwise. */
  async postSigned(
    body: string,
    contentType: string,
    options: SignedPostOptions = {},
  ): Promise<{ status: number; text: string }> {
    if (!this.http) throw new Error('useHttp() first');
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature =
      options.signature ??
      `v0=${createHmac('sha256', this.http.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await fetch(this.http.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
        ...options.headers,
      },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, text: await response.text() };
  }

  /** The form body Slack posts for a slash command in HTTP mode. */
  slashCommandBody(input: SlashCommandInput): {
    body: string;
    triggerId: string;
    responseUrl: string;
  } {
    const triggerId = input.triggerId ?? this.workspace.issueTrigger(input.userId);
    const responseUrl = input.responseUrl ?? this.issueResponseUrl(input.userId, input.channelId);
    const payload = slashCommandPayload(this.workspace, { ...input, triggerId, responseUrl });
    return { body: new URLSearchParams(payload).toString(), triggerId, responseUrl };
  }

  private async deliver(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    retry?: { attempt: number; reason: string },
  ): Promise<AckResult> {
    if (!this.http) return { body: await this.socket.send(type, payload, retry) };
    const body =
      type === 'slash_commands'
        ? new URLSearchParams(payload as Record<string, string>).toString()
        : type === 'interactive'
          ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
          : JSON.stringify(payload);
    const contentType =
      type === 'events_api' ? 'application/json' : 'application/x-www-form-urlencoded';
    const headers: Record<string, string> = retry
      ? { 'x-slack-retry-num': String(retry.attempt), 'x-slack-retry-reason': retry.reason }
      : {};
    const started = Date.now();
    const response = await this.postSigned(body, contentType, { headers });
    if (Date.now() - started > 3_000)
      throw new Error(`HTTP ${type} took ${Date.now() - started} ms to acknowledge`);
    let parsed: Record<string, unknown> = {};
    if (response.text) {
      try {
        parsed = JSON.parse(response.text) as Record<string, unknown>;
      } catch {
        parsed = { text: response.text };
      }
    }
    return { status: response.status, body: parsed };
  }

  /** A response_url for an interaction in `channel` (inside `threadTs` when it happened in a thread). */
  issueResponseUrl(user: string, channel: string, threadTs?: string): string {
    const id = this.workspace.nextId('R');
    const url = `${this.origin}/response/${id}`;
    this.workspace.responseUrls.set(id, {
      id,
      url,
      user,
      channel,
      issuedAt: Date.now(),
      uses: 0,
      ...(threadTs !== undefined ? { threadTs } : {}),
    });
    return url;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------------------------------

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const body = await readBody(request);
    const [, section, name] = url.pathname.split('/');
    if (section === 'api' && name && request.method === 'POST') {
      const delay = this.takeDelay(name);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      return this.held(name, response, () => this.apiCall(name, request, body, response));
    }
    if (section === 'upload' && name && request.method === 'POST')
      return this.held('upload', response, () => this.receiveUpload(name, request, body, response));
    if (section === 'files' && name && request.method === 'GET')
      return this.serveFile(name, request, response);
    if (section === 'response' && name && request.method === 'POST')
      return this.receiveResponse(name, body, response);
    response.writeHead(404).end('not found');
  }

  /** Answers through `answer`, unless a hold takes the call: then it may apply it, never answers. */
  private async held(
    method: string,
    response: ServerResponse,
    answer: (response: ServerResponse) => void | Promise<void>,
  ): Promise<void> {
    const hold = this.holds.find((rule) => rule.method === method);
    if (!hold) return answer(response);
    this.holds.splice(this.holds.indexOf(hold), 1);
    const closed = new Promise((resolve) => response.once('close', resolve));
    if (hold.applied) {
      // Carried out, but the answer never leaves: written to a response nobody reads.
      await answer(new ServerResponse(response.req));
    }
    hold.reached();
    await closed;
  }

  private takeDelay(method: string): number | undefined {
    const fault = this.faults.find(
      (candidate) => candidate.method === method && candidate.error === 'delay',
    );
    if (!fault) return undefined;
    this.faults.splice(this.faults.indexOf(fault), 1);
    return fault.delayMs;
  }

  private apiCall(
    method: string,
    request: IncomingMessage,
    raw: Buffer,
    response: ServerResponse,
  ): void {
    const args = parseArgs(request.headers['content-type'] ?? '', raw);
    const token =
      /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ??
      (typeof args.token === 'string' ? args.token : '');
    const record: RecordedCall = { method, args, at: Date.now() };
    this.calls.push(record);
    const fault = this.faults.find(
      (candidate) => candidate.method === method && candidate.error !== 'delay',
    );
    if (fault) {
      fault.times--;
      if (fault.times === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      record.error = fault.error;
      if (fault.error === 'http_500') {
        response.writeHead(500, { 'content-type': 'text/html' });
        return void response.end('<html>Internal Server Error</html>');
      }
      if (fault.error === 'ratelimited') {
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        });
        return void response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      return sendJson(response, { ok: false, error: fault.error });
    }
    const handler = this.methods[method];
    if (!handler) {
      record.error = 'unknown_method';
      return sendJson(response, { ok: false, error: 'unknown_method' });
    }
    try {
      const result = handler(args, {
        token,
        origin: this.origin,
        socketUrl: () => this.socket.issueUrl(this.origin),
      });
      sendJson(response, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      record.error = error.error;
      sendJson(response, { ok: false, error: error.error, ...error.extra });
    }
  }

  private async receiveUpload(
    fileId: string,
    request: IncomingMessage,
    raw: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const file = this.workspace.files.get(fileId);
    if (!file) return void response.writeHead(404).end('unknown upload');
    let bytes = raw;
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': contentType },
      }).formData();
      const part = [...form.values()].find((value) => typeof value !== 'string');
      if (!part || typeof part === 'string')
        return void response.writeHead(400).end('no file part');
      bytes = Buffer.from(await part.arrayBuffer());
    }
    if (bytes.length !== file.length)
      return void response.writeHead(400).end(`expected ${file.length} bytes, got ${bytes.length}`);
    file.bytes = bytes;
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }

  /** A file's private URL: its bytes only for the bot token, and the same 404 for anyone else. */
  private serveFile(fileId: string, request: IncomingMessage, response: ServerResponse): void {
    const authorized = request.headers.authorization === `Bearer ${FAKE_BOT_TOKEN}`;
    this.fileDownloads.push({ fileId, authorized });
    const file = this.workspace.files.get(fileId);
    if (!authorized || !file?.bytes || file.deleted)
      return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    response
      .writeHead(200, {
        'content-type': file.mimetype ?? 'image/png',
        'content-length': file.bytes.length,
      })
      .end(file.bytes);
  }

  /** A response_url: ephemeral by default, 5 uses within 30 minutes, then `used_url`/`expired_url`. */
  private receiveResponse(id: string, raw: Buffer, response: ServerResponse): void {
    const responseUrl = this.workspace.responseUrls.get(id);
    if (!responseUrl) return void response.writeHead(404).end('no_such_url');
    if (
      Date.now() + this.responseUrlClockOffsetMs - responseUrl.issuedAt >
      RESPONSE_URL_LIFETIME_MS
    )
      return void response.writeHead(404).end('expired_url');
    if (responseUrl.uses >= RESPONSE_URL_MAX_USES)
      return void response.writeHead(404).end('used_url');
    responseUrl.uses++;
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const problem = validateBlocks(body.blocks, {
      isShareable: (fileId) => {
        const file = this.workspace.files.get(fileId);
        return !!file && file.completed && !file.deleted && file.channels.length > 0;
      },
    });
    if (problem) return void response.writeHead(400).end('invalid_blocks');
    if (body.response_type === 'in_channel') {
      this.workspace.messages.push({
        channel: responseUrl.channel,
        ts: this.workspace.nextTs(),
        user: this.workspace.botUserId,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
        files: [],
        ...(responseUrl.threadTs !== undefined ? { threadTs: responseUrl.threadTs } : {}),
        revisions: [],
        deleted: false,
        postedAt: Date.now(),
      });
    } else {
      this.workspace.ephemerals.push({
        id: this.workspace.nextId('E'),
        user: responseUrl.user,
        channel: responseUrl.channel,
        via: 'response_url',
        responseUrl: responseUrl.url,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
        replaceOriginal: body.replace_original === true || body.replace_original === 'true',
        deleteOriginal: body.delete_original === true,
        ...(responseUrl.threadTs !== undefined ? { threadTs: responseUrl.threadTs } : {}),
        at: Date.now(),
      });
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }
}

function parseArgs(contentType: string, raw: Buffer): Args {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return JSON.parse(text || '{}') as Args;
  return Object.fromEntries(new URLSearchParams(text));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const fake = new FakeSlack();
  await fake.listen();
  return fake;
}
