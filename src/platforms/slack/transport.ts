import { HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack's own rule for a request's age; Bolt checks only the past, this the future too. */
const MAX_REQUEST_SKEW_MS = 5 * 60_000;

/**
 * True when `X-Slack-Request-Timestamp` is a time within five minutes of now, either way. A
 * request stamped in the future would be accepted by Bolt, and could be replayed until that time.
 */
export function isTimelySlackRequest(timestamp: string | undefined, now: number): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now - Number(timestamp) * 1000) <= MAX_REQUEST_SKEW_MS;
}

/**
 * How Slack's events reach Bolt. Socket Mode and HTTP differ only here, behind this small
 * interface, so the handlers never know which one is in use.
 */
export interface SlackTransport {
  readonly mode: 'socket' | 'http';
  readonly receiver: Receiver;
  /** Called after Bolt's App is initialised; Socket Mode connects here. */
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export interface SocketTransportOptions {
  appToken: string;
  slackApiUrl: string;
  logger: Logger;
}

/** Socket Mode: an outbound WebSocket, so no public URL is needed. */
export function socketModeTransport(options: SocketTransportOptions): SlackTransport {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: boltLogger(options.logger),
    // The Socket Mode client makes its own Web API client for apps.connections.open; pointing it at
    // SLACK_API_URL is what lets the same code connect to Slack or to a local fake.
    installerOptions: { clientOptions: { slackApiUrl: options.slackApiUrl } },
  });
  let connected = false;
  let stopped = false;
  receiver.client.on('connected', () => {
    connected = true;
    options.logger.info('Slack Socket Mode connected');
  });
  receiver.client.on('disconnected', () => {
    connected = false;
  });
  receiver.client.on('reconnecting', () => {
    connected = false;
    if (!stopped) options.logger.info('Slack Socket Mode reconnecting');
  });
  return {
    mode: 'socket',
    receiver,
    async start() {
      await receiver.start();
    },
    async stop() {
      stopped = true;
      connected = false;
      await receiver.stop();
    },
    isReady: () => connected,
  };
}

export interface HttpTransportOptions {
  signingSecret: string;
  http: HttpServer;
  logger: Logger;
  now?: () => number;
}

/**
 * HTTP mode: Bolt's own receiver verifies each request's signature and age (forged or stale ones
 * get 401 and reach no handler), mounted on our one HTTP server instead of opening a second port.
 * A timestamp from the future is refused here first, before Bolt reads the body.
 */
export function httpTransport(options: HttpTransportOptions): SlackTransport {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: boltLogger(options.logger),
  });
  let accepting = false;
  const now = options.now ?? Date.now;
  options.http.route(SLACK_EVENTS_PATH, (request: IncomingMessage, response: ServerResponse) => {
    if (!accepting) return sendJson(response, 503, { error: 'not ready' });
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'POST only' });
    const timestamp = request.headers['x-slack-request-timestamp'];
    if (!isTimelySlackRequest(Array.isArray(timestamp) ? timestamp[0] : timestamp, now())) {
      options.logger.debug('refused a Slack request: missing, stale or future timestamp');
      return sendJson(response, 401, { error: 'request timestamp out of range' });
    }
    receiver.requestListener(request, response);
  });
  return {
    mode: 'http',
    receiver,
    start() {
      accepting = true;
      return Promise.resolve();
    },
    stop() {
      accepting = false;
      return Promise.resolve();
    },
    isReady: () => accepting,
  };
}
