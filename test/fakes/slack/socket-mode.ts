import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** Slack gives an app 3 s to acknowledge an envelope before it shows the user an error. */
export const ACK_DEADLINE_MS = 3_000;

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface UnackedEnvelope {
  envelope: Envelope;
  /** Why it counts as unacknowledged: no connection to send it on, or no ack in time. */
  reason: 'no_connection' | 'timeout';
}

/**
 * Slack's side of Socket Mode: hands out one-time WebSocket URLs, says hello, sends envelopes,
 * waits for their acks, and can ask the client to reconnect with a `disconnect` message.
 */
export class SocketModeServer {
  readonly unacked: UnackedEnvelope[] = [];
  /** Every connection ever opened, so tests can see a reconnect happen. */
  connectionsOpened = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, (payload: Record<string, unknown>) => void>();
  private counter = 0;

  constructor(private readonly appId: string) {}

  get openConnections(): number {
    return [...this.sockets].filter((socket) => socket.readyState === socket.OPEN).length;
  }

  issueUrl(origin: string): string {
    const ticket = `ticket-${++this.counter}-${Math.random().toString(16).slice(2)}`;
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Takes over an HTTP upgrade on `/link/`; a URL is good for one connection only, like Slack's. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(request.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.connectionsOpened++;
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(
          Buffer.isBuffer(data)
            ? data.toString('utf8')
            : Buffer.from(data as ArrayBuffer).toString('utf8'),
        ) as typeof message;
      } catch {
        return;
      }
      const resolve = message.envelope_id ? this.waiting.get(message.envelope_id) : undefined;
      if (resolve) {
        this.waiting.delete(message.envelope_id!);
        resolve(message.payload ?? {});
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'fake-slack', approximate_connection_time: 3600 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  /** Resolves once a client is connected, so tests can wait out a reconnect. */
  async waitForConnection(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openConnections === 0) {
      if (Date.now() > deadline) throw new Error('no Socket Mode connection');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Sends an envelope on the newest connection and resolves with the ack's payload; records it as
   * unacknowledged (and rejects) if no ack arrives within Slack's 3 s.
   */
  async send(
    type: Envelope['type'],
    payload: Record<string, unknown>,
    retry?: { attempt: number; reason: string },
  ): Promise<Record<string, unknown>> {
    const envelope: Envelope = {
      envelope_id: `env-${++this.counter}-${Math.random().toString(16).slice(2)}`,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(retry ? { retry_attempt: retry.attempt, retry_reason: retry.reason } : {}),
    };
    await this.waitForConnection().catch(() => undefined);
    const socket = [...this.sockets]
      .reverse()
      .find((candidate) => candidate.readyState === candidate.OPEN);
    if (!socket) {
      this.unacked.push({ envelope, reason: 'no_connection' });
      throw new Error('no Socket Mode connection to deliver on');
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelope.envelope_id);
        this.unacked.push({ envelope, reason: 'timeout' });
        reject(
          new Error(
            `envelope ${envelope.envelope_id} (${type}) was not acknowledged within ${ACK_DEADLINE_MS} ms`,
          ),
        );
      }, ACK_DEADLINE_MS);
      this.waiting.set(envelope.envelope_id, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** What Slack sends before recycling a connection; the client should reconnect on its own. */
  requestReconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets)
      socket.send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack' } }),
      );
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
  }
}
