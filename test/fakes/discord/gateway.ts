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

/** A gateway session: it outlives a dropped connection, so the client can resume it. */
interface Session {
  id: string;
  socket: WebSocket | undefined;
  sequence: number;
  /** Every dispatch by sequence number, replayed to a client resuming after a drop. */
  sent: Array<{ s: number; text: string }>;
  /** On the next resume, also replay this many events the client already had (a redelivery). */
  rewind: number;
  /** `[shard_id, num_shards]` from IDENTIFY; `[0, 1]` when the client did not shard. */
  shard: [number, number];
}

/**
 * Which shard receives a guild's events: `(guild_id >> 22) % num_shards`, Discord's documented
 * formula. Events outside any guild (DMs) go to shard 0.
 */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  if (!guildId) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
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
 * The gateway half of the fake: HELLO, IDENTIFY → READY, heartbeat ACKs, RESUME with replay of
 * missed events, and dispatches to every live session: the protocol the real discord.js
 * WebSocketShard speaks.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private readyWaiters: Array<() => void> = [];
  identifyCount = 0;
  resumeCount = 0;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ server: options.server });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  get readySessions(): number {
    return this.sessions.size;
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

  /** The `[shard_id, num_shards]` of every identified session, for tests of sharded bots. */
  get sessionShards(): Array<[number, number]> {
    return [...this.sessions.values()].map((session) => session.shard);
  }

  /**
   * Sends an event to every session of the shard that owns `guildId` (each session by its own
   * shard count); a session whose connection dropped gets it on resume. Returns how many got it.
   */
  dispatch(event: string, data: unknown, guildId?: string): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      const [id, count] = session.shard;
      if (shardOf(guildId, count) !== id) continue;
      this.send(session, event, data);
      delivered++;
    }
    return delivered;
  }

  /**
   * Cuts every connection without a close frame, as a network failure would; sessions stay
   * resumable. `redeliver` replays that many already-delivered events on resume, as Discord may.
   */
  dropConnections(redeliver = 0): void {
    for (const session of this.sessions.values()) {
      session.socket?.terminate();
      session.socket = undefined;
      session.rewind = redeliver;
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(session: Session, event: string, data: unknown): void {
    session.sequence++;
    const text = JSON.stringify({ op: Op.Dispatch, t: event, s: session.sequence, d: data });
    session.sent.push({ s: session.sequence, text });
    session.socket?.send(text);
  }

  private accept(socket: WebSocket): void {
    let session: Session | undefined;
    socket.on('message', (raw: Buffer) => {
      const payload = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
      if (payload.op === Op.Heartbeat) socket.send(JSON.stringify({ op: Op.HeartbeatAck }));
      else if (payload.op === Op.Identify)
        session = this.identify(socket, payload.d as IdentifyData);
      else if (payload.op === Op.Resume) session = this.resume(socket, payload.d as ResumeData);
    });
    socket.on('close', (code) => {
      // A client that says goodbye (1000/1001) ends its session; anything else may resume it.
      if (session && (code === 1000 || code === 1001)) this.sessions.delete(session.id);
      else if (session?.socket === socket) session.socket = undefined;
    });
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: 41_250 } }));
  }

  private identify(socket: WebSocket, data: IdentifyData): Session | undefined {
    if (!this.tokenIsValid(data.token)) {
      socket.close(4004, 'Authentication failed.');
      return undefined;
    }
    const shard = data.shard ?? [0, 1];
    const [shardId, shardCount] = shard;
    if (
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardCount < 1 ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      // Discord's close code for a shard array it cannot use.
      socket.close(4010, 'Invalid shard.');
      return undefined;
    }
    this.identifyCount++;
    const session: Session = {
      id: snowflake(),
      socket,
      sequence: 0,
      sent: [],
      rewind: 0,
      shard: [shardId, shardCount],
    };
    this.sessions.set(session.id, session);
    const { botUser, applicationId } = this.options;
    this.send(session, 'READY', {
      v: 10,
      user: { ...botUser, discriminator: '0', global_name: null, avatar: null, bot: true },
      guilds: [],
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      shard: session.shard,
      application: { id: applicationId, flags: 0 },
    });
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
    return session;
  }

  private resume(socket: WebSocket, data: ResumeData): Session | undefined {
    const session = this.sessions.get(data.session_id ?? '');
    if (!session || !this.tokenIsValid(data.token)) {
      socket.send(JSON.stringify({ op: Op.InvalidSession, d: false }));
      return undefined;
    }
    this.resumeCount++;
    session.socket = socket;
    const from = (data.seq ?? 0) - session.rewind;
    session.rewind = 0;
    for (const missed of session.sent.filter((entry) => entry.s > from)) socket.send(missed.text);
    this.send(session, 'RESUMED', {});
    return session;
  }

  private tokenIsValid(token: string | undefined): boolean {
    return token === this.options.token || token === `Bot ${this.options.token}`;
  }
}

interface IdentifyData {
  token?: string;
  shard?: [number, number];
}

interface ResumeData {
  token?: string;
  session_id?: string;
  seq?: number;
}
