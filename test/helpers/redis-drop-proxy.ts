import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP hop between a Redis client and a real Redis that can lose the connection at the worst
 * moment: when a connection, just made again, sends SUBSCRIBE. It then refuses every new
 * connection for a while, as a network that flaps does.
 */
export class RedisDropProxy {
  /** SUBSCRIBE commands that were lost on the way. */
  droppedSubscribes = 0;
  private readonly sockets = new Set<Socket>();
  private dropSubscribe = false;
  private refuseMs = 0;
  private refuseUntil = 0;

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

  /** Drops every connection now; the next SUBSCRIBE is lost, then connections are refused for `refuseMs`. */
  flapOnNextSubscribe(refuseMs: number): void {
    this.dropSubscribe = true;
    this.refuseMs = refuseMs;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket, upstreamPort: number): void {
    if (Date.now() < this.refuseUntil) {
      client.destroy();
      return;
    }
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
    client.on('data', (chunk: Buffer) => {
      if (this.dropSubscribe && /subscribe/i.test(chunk.toString('latin1'))) {
        this.dropSubscribe = false;
        this.droppedSubscribes++;
        this.refuseUntil = Date.now() + this.refuseMs;
        for (const socket of this.sockets) socket.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }
}
