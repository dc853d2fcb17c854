import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Events,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  REST,
  Routes,
  type Client,
  type Interaction,
} from 'discord.js';
import type { Logger } from '../../log.js';
import { sendJson, type RouteHandler } from '../../http/server.js';

/** Where the bot listens when DISCORD_PUBLIC_KEY is set; the Interactions Endpoint URL ends with it. */
export const INTERACTIONS_PATH = '/discord/interactions';

/** Discord signs with Ed25519; node:crypto takes a raw 32-byte key once it is wrapped as SPKI DER. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** A signed request older (or further ahead) than this is a replay, not Discord. */
const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;
/** Interaction payloads are small; anything this big is not one. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Discord waits 3 s for the HTTP response. Our handlers acknowledge first thing, so this only fires
 * when one did not (a duplicate, an unhandled type): a deferral then keeps the user from seeing
 * "This interaction failed" while whatever runs late meets Discord's own "already acknowledged".
 */
const ACKNOWLEDGE_BY_MS = 2_500;

export function discordPublicKey(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

/**
 * True when Discord signed exactly these bytes at a recent time: `X-Signature-Ed25519` over
 * `X-Signature-Timestamp` + raw body. Checked before the body is even parsed.
 */
export function isSignedByDiscord(
  publicKey: KeyObject,
  { signature, timestamp, body }: SignedRequest,
  now: number = Date.now(),
): boolean {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d+$/.test(timestamp))
    return false;
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_TIMESTAMP_SKEW_MS) return false;
  const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, message, publicKey, Buffer.from(signature, 'hex'));
}

/** The interactions a handler can answer; Discord may add others, which we refuse at once. */
const HANDLED_TYPES: ReadonlySet<unknown> = new Set([
  InteractionType.ApplicationCommand,
  InteractionType.MessageComponent,
  InteractionType.ApplicationCommandAutocomplete,
  InteractionType.ModalSubmit,
]);

interface InteractionPayload {
  id: string;
  type: InteractionType;
  application_id: string;
  data?: { name?: string; custom_id?: string };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is wrong with a signed payload that is not an interaction we can handle, or undefined.
 * Checked before discord.js sees it, so a malformed one is answered 400 rather than failing
 * somewhere inside the library.
 */
export function payloadProblem(payload: unknown): string | undefined {
  if (!isObject(payload)) return 'not a JSON object';
  if (typeof payload.id !== 'string' || !/^\d+$/.test(payload.id)) return 'no interaction id';
  if (typeof payload.application_id !== 'string') return 'no application_id';
  if (!HANDLED_TYPES.has(payload.type)) return `unknown interaction type ${String(payload.type)}`;
  if (typeof payload.token !== 'string') return 'no token';
  if (!isObject(payload.data)) return 'no data';
  const member = isObject(payload.member) ? payload.member : undefined;
  const user = payload.user ?? member?.user;
  if (!isObject(user) || typeof user.id !== 'string') return 'no user';
  return undefined;
}

type PostArguments = Parameters<REST['post']>;
type InitialResponse = { type: InteractionResponseType; data?: unknown };

interface Awaiting {
  interactionType: number;
  applicationId: string;
  send(response: InitialResponse): Promise<void>;
}

/**
 * discord.js answers an interaction by POSTing to its callback route. For an interaction that came
 * over HTTP, Discord's documented answer is the HTTP response itself, so this REST client hands
 * that first callback to the waiting HTTP request instead, and tells discord.js what Discord
 * would have said. Every other request (edits, follow-ups, channel posts) goes out as usual.
 */
export class InteractionResponseRest extends REST {
  private readonly awaiting = new Map<string, Awaiting>();

  /** The next callback for this interaction becomes the HTTP response `send` writes. */
  expect(interactionId: string, waiting: Awaiting): void {
    this.awaiting.set(interactionId, waiting);
  }

  /** Stops waiting: the HTTP response went out another way (the deadline fallback). */
  forget(interactionId: string): void {
    this.awaiting.delete(interactionId);
  }

  override async post(...[route, options]: PostArguments): Promise<unknown> {
    const match = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route);
    const waiting = match ? this.awaiting.get(match[1]!) : undefined;
    if (!match || !waiting) return super.post(route, options);
    // A JSON HTTP response cannot carry uploads. Our handlers never upload in a first answer (the
    // image comes later, in an edit); a new one that did must fail loudly here, not half-answer.
    if ((options?.files?.length ?? 0) > 0)
      throw new Error('an HTTP interaction cannot be answered with files; defer, then edit');
    const id = match[1]!;
    this.awaiting.delete(id);
    const body = options?.body as InitialResponse;
    await waiting.send(body);
    const flags = Number((body.data as { flags?: number } | undefined)?.flags ?? 0);
    const withResponse = options?.query?.get('with_response') === 'true';
    const createsMessage =
      body.type === InteractionResponseType.ChannelMessageWithSource ||
      body.type === InteractionResponseType.DeferredChannelMessageWithSource;
    // The shape of Discord's `?with_response=true` answer. An HTTP response returns nothing, so the
    // new message's id (which lets a result edit it in place after the token expires) is read back.
    return {
      interaction: {
        id,
        type: waiting.interactionType,
        response_message_id:
          withResponse && createsMessage
            ? await this.originalMessageId(waiting.applicationId, match[2]!)
            : undefined,
        response_message_loading:
          body.type === InteractionResponseType.DeferredChannelMessageWithSource,
        response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
      },
      resource: { type: body.type },
    };
  }

  /** Undefined when Discord has not made the message yet: `@original` still reaches it. */
  private async originalMessageId(
    applicationId: string,
    token: string,
  ): Promise<string | undefined> {
    try {
      const message = (await this.get(Routes.webhookMessage(applicationId, token, '@original'), {
        auth: false,
      })) as { id?: string };
      return message.id;
    } catch {
      return undefined;
    }
  }
}

export interface InteractionsEndpointOptions {
  publicKey: KeyObject;
  client: Client;
  rest: InteractionResponseRest;
  logger: Logger;
  /** While shutting down, new interactions are refused so the load balancer sends them elsewhere. */
  isStopping(): boolean;
  now?: () => number;
}

/** What discord.js's gateway does with INTERACTION_CREATE; we feed it the HTTP payload instead. */
type InteractionCreateAction = { handle(data: unknown): void };

function interactionCreateAction(client: Client): InteractionCreateAction {
  const action = (
    client as unknown as { actions?: { InteractionCreate?: InteractionCreateAction } }
  ).actions?.InteractionCreate;
  if (typeof action?.handle !== 'function')
    throw new Error('this discord.js version has no InteractionCreate action to feed');
  return action;
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function writeJson(response: ServerResponse, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    // Discord may have hung up (it waits 3 s): the handler must not wait for a write that never ends.
    response.once('close', resolve);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body), () => resolve());
  });
}

/**
 * `POST /discord/interactions`: Discord's outgoing-webhook interactions. A request is verified,
 * turned into the same discord.js Interaction the gateway would create, and handled by the same
 * router; the handler's first answer (its deferral, usually) is this request's response. Nothing
 * here is kept between requests, so any replica behind a load balancer can take any interaction.
 */
export function createInteractionsEndpoint(options: InteractionsEndpointOptions): RouteHandler {
  const { publicKey, client, rest, logger } = options;
  const now = options.now ?? Date.now;
  const action = interactionCreateAction(client);

  return async (request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const body = await readBody(request);
    if (!body) return sendJson(response, 413, { error: 'request too large' });
    const signed = isSignedByDiscord(
      publicKey,
      {
        signature: header(request, 'x-signature-ed25519'),
        timestamp: header(request, 'x-signature-timestamp'),
        body,
      },
      now(),
    );
    // Discord probes the endpoint with bad signatures when it is saved and expects a 401.
    if (!signed) {
      logger.debug('refused an HTTP interaction: bad or stale signature');
      return sendJson(response, 401, { error: 'invalid request signature' });
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(response, 'body is not JSON');
    }
    if (isObject(parsed) && parsed.type === InteractionType.Ping)
      return sendJson(response, 200, { type: InteractionResponseType.Pong });
    if (options.isStopping()) return sendJson(response, 503, { error: 'shutting down' });
    const problem = payloadProblem(parsed);
    if (problem) return refuse(response, problem);
    const payload = parsed as InteractionPayload;
    const id = payload.id;

    const applicationId = payload.application_id;
    let fallback: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => {
      fallback = setTimeout(() => {
        rest.forget(id);
        logger.warn(
          { interactionId: id, handler: payload.data?.name ?? payload.data?.custom_id },
          'no answer to an HTTP interaction in time; deferring it',
        );
        const type =
          payload.type === InteractionType.MessageComponent
            ? InteractionResponseType.DeferredMessageUpdate
            : InteractionResponseType.DeferredChannelMessageWithSource;
        void writeJson(response, {
          type,
          ...(type === InteractionResponseType.DeferredChannelMessageWithSource
            ? { data: { flags: MessageFlags.Ephemeral } }
            : {}),
        }).then(resolve);
      }, ACKNOWLEDGE_BY_MS);
      rest.expect(id, {
        interactionType: payload.type,
        applicationId,
        send: async (initial) => {
          clearTimeout(fallback);
          await writeJson(response, initial);
          resolve();
        },
      });
    });
    // discord.js drops what it cannot make an Interaction of (an unknown command or component
    // type) and throws on fields it needs; either way no handler will answer, so say so now.
    let created = false;
    const noticeCreated = (interaction: Interaction) => {
      if (interaction.id === id) created = true;
    };
    client.prependListener(Events.InteractionCreate, noticeCreated);
    try {
      action.handle(payload);
    } catch (error) {
      clearTimeout(fallback);
      rest.forget(id);
      // Thrown by our own handler: a bug, for the server's error log. Thrown before: malformed.
      if (created) throw error;
      return refuse(response, `discord.js could not read it (${String(error)})`);
    } finally {
      client.off(Events.InteractionCreate, noticeCreated);
    }
    if (!created) {
      clearTimeout(fallback);
      rest.forget(id);
      return refuse(response, 'no handler for this kind of interaction');
    }
    await answered;
  };

  /** A signed request that is not an interaction we handle: Discord's doing, not a fault of ours. */
  function refuse(response: ServerResponse, problem: string): void {
    logger.warn({ problem }, 'refused a signed HTTP interaction: not one the bot can handle');
    sendJson(response, 400, { error: problem });
  }
}
