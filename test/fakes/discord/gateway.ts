import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake } from './snowflake.js';

/** Gateway opcodes the fake speaks (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

interface Session {
  socket: WebSocket;
  sessionId: string;
  sequence: number;
  identified: boolean;
}

export interface GatewayOptions {
  server: Server;
  token: string;
  botUser: { id: string; username: string };
  applicationId: string;
  /** Where READY tells the client to resume; the same server. */
  url: () => string;
}

/**
 * The gateway half of the fake: HELLO, IDENTIFY → READY, heartbeat ACKs, and dispatches to every
 * identified session, just enough protocol for the real discord.js WebSocketShard.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readyWaiters: Array<() => void> = [];
  identifyCount = 0;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ server: options.server });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  get readySessions(): number {
    return [...this.sessions].filter((session) => session.identified).length;
  }

  /** Resolves once some client has identified (its READY sent). */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    if (this.readySessions > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no client identified with the fake gateway')),
        timeoutMs,
      );
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  dispatch(event: string, data: unknown): number {
    let sent = 0;
    for (const session of this.sessions) {
      if (!session.identified) continue;
      session.sequence++;
      session.socket.send(
        JSON.stringify({ op: Op.Dispatch, t: event, s: session.sequence, d: data }),
      );
      sent++;
    }
    return sent;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const session: Session = { socket, sessionId: snowflake(), sequence: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw: Buffer) => this.receive(session, raw.toString('utf8')));
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: 41_250 } }));
  }

  private receive(session: Session, text: string): void {
    const payload = JSON.parse(text) as { op: number; d: unknown };
    switch (payload.op) {
      case Op.Heartbeat:
        session.socket.send(JSON.stringify({ op: Op.HeartbeatAck }));
        return;
      case Op.Identify:
        this.identify(session, payload.d as { token?: string });
        return;
      case Op.Resume:
        // Sessions do not survive in the fake; Discord's answer to that is INVALID_SESSION (not resumable).
        session.socket.send(JSON.stringify({ op: Op.InvalidSession, d: false }));
        return;
      default:
        return;
    }
  }

  private identify(session: Session, data: { token?: string }): void {
    if (data.token !== this.options.token && data.token !== `Bot ${this.options.token}`) {
      session.socket.close(4004, 'Authentication failed.');
      return;
    }
    this.identifyCount++;
    session.identified = true;
    session.sequence++;
    const { botUser, applicationId } = this.options;
    session.socket.send(
      JSON.stringify({
        op: Op.Dispatch,
        t: 'READY',
        s: session.sequence,
        d: {
          v: 10,
          user: {
            id: botUser.id,
            username: botUser.username,
            discriminator: '0',
            global_name: null,
            avatar: null,
            bot: true,
          },
          guilds: [],
          session_id: session.sessionId,
          resume_gateway_url: this.options.url(),
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
        },
      }),
    );
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
  }
}
