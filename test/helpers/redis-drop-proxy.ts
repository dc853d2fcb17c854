import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP hop between a Redis client and a real Redis that loses the connection at the worst moment
 * for a client: right after Redis answers the client's ready check (INFO), as when Redis dies just
 * as a client reconnects. The client is then ready, with a connection that is already closing.
 * The hop then stops listening for a while, so reconnecting is refused as by a dead Redis.
 */
export class RedisDropProxy {
  /** Connections that were closed just as they became ready. */
  droppedAtReady = 0;
  private readonly sockets = new Set<Socket>();
  private armed = false;
  private refuseMs = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(upstreamPort: number): Promise<RedisDropProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy has no port');
    const proxy = new RedisDropProxy(server, address.port);
    server.on('connection', (client) => proxy.accept(client, upstreamPort));
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Drops every connection now. Each connection answered a ready check is then closed right after
   * that answer, and connecting is refused for `refuseMs` from the first of them.
   */
  flapAtNextReady(refuseMs: number): void {
    this.armed = true;
    this.refuseMs = refuseMs;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }

  private refuseFor(ms: number): void {
    this.server.close();
    setTimeout(() => {
      this.armed = false;
      this.server.listen(this.port, '127.0.0.1');
    }, ms);
  }

  private accept(client: Socket, upstreamPort: number): void {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.armed && chunk.toString('latin1').includes('redis_version')) {
        this.droppedAtReady++;
        if (this.server.listening) this.refuseFor(this.refuseMs);
        // The answer and the end of the connection together: the client reads both at once.
        client.end(chunk);
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  }
}
