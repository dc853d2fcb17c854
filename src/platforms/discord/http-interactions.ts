import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIInteractionResponse,
  type REST,
} from 'discord.js';
import type { Logger } from '../../log.js';
import { sendJson, type RouteHandler } from '../../http/server.js';
import { payloadProblem, type InteractionPayload } from './payload.js';
import { HttpResponder, type InteractionResponder } from './responder.js';

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
 * when one did not (a store too slow to answer): a deferral then keeps the person from seeing
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

export interface InteractionsEndpointOptions {
  publicKey: KeyObject;
  /** Later answers, and the late callback after a fallback. */
  rest: REST;
  logger: Logger;
  /** While shutting down, new interactions are refused so the load balancer sends them elsewhere. */
  isStopping(): boolean;
  /** Hands a verified interaction to the same handling as the gateway's; false: nothing handles its kind. */
  receive(payload: InteractionPayload, responder: InteractionResponder): boolean;
  now?: () => number;
}

/** The acknowledgement that shows nothing wrong: a click is taken, a command "thinks" privately. */
function fallbackFor(payload: InteractionPayload): APIInteractionResponse {
  return payload.type === InteractionType.MessageComponent
    ? { type: InteractionResponseType.DeferredMessageUpdate }
    : {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      };
}

/**
 * `POST /discord/interactions`: Discord's outgoing-webhook interactions. A request is verified and
 * its payload (the same one the gateway dispatches) handled as the gateway's are; the handler's
 * first answer (its deferral, usually) is this request's response. Nothing here is kept between
 * requests, so any replica behind a load balancer can take any interaction.
 */
export function createInteractionsEndpoint(options: InteractionsEndpointOptions): RouteHandler {
  const { publicKey, rest, logger } = options;
  const now = options.now ?? Date.now;

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
    const kind = (parsed as { type?: unknown } | null)?.type;
    if (kind === InteractionType.Ping)
      return sendJson(response, 200, { type: InteractionResponseType.Pong });
    if (options.isStopping()) return sendJson(response, 503, { error: 'shutting down' });
    const problem = payloadProblem(parsed);
    if (problem) return refuse(response, problem);
    const payload = parsed as InteractionPayload;
    const responder = new HttpResponder(
      {
        reply: (answer) => writeJson(response, answer),
        fallback: fallbackFor(payload),
        fallbackAfterMs: ACKNOWLEDGE_BY_MS,
        onFallback: () =>
          logger.warn(
            { interactionId: payload.id },
            'no answer to an HTTP interaction in time; deferring it',
          ),
      },
      rest,
      { id: payload.id, token: payload.token, applicationId: payload.application_id },
    );
    if (!options.receive(payload, responder)) return responder.fallBackNow();
    await responder.answered;
  };

  /** A signed request that is not an interaction we handle: Discord's doing, not a fault of ours. */
  function refuse(response: ServerResponse, problem: string): void {
    logger.warn({ problem }, 'refused a signed HTTP interaction: not one the bot can handle');
    sendJson(response, 400, { error: problem });
  }
}
