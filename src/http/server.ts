import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from 'pino';

export type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
) => void | Promise<void>;

export interface HttpServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  /** Ready means the store answers and every platform is connected. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

/** Load balancers give up on a health check after a second or two. */
const READINESS_TIMEOUT_MS = 900;
/** On close, how long requests in progress may take before their connections are cut. */
const CLOSE_GRACE_MS = 1_000;

/**
 * One HTTP server for health checks and, as platforms add them, their receivers
 * (`/slack/events`, `/discord/interactions`), mounted by path.
 */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  /** Whole subtrees (`/sources/`), tried only when no exact route matches; longest first. */
  private readonly prefixRoutes: { prefix: string; handler: RouteHandler }[] = [];
  private server: Server | undefined;

  constructor(private readonly options: HttpServerOptions) {
    this.route('/healthz', (_request, response) => sendJson(response, 200, { status: 'ok' }));
    this.route('/readyz', async (_request, response) => {
      // A check that hangs (a store that stopped answering) must still leave the balancer an answer.
      const { ready, checks } = await withinMs(READINESS_TIMEOUT_MS, this.options.readiness(), {
        ready: false,
        checks: { answeredInTime: false },
      });
      sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    });
  }

  route(path: string, handler: RouteHandler): void {
    this.routes.set(path, handler);
  }

  /** Every path that starts with `prefix` (which ends in `/`) goes to `handler`, which parses it. */
  routePrefix(prefix: string, handler: RouteHandler): void {
    this.prefixRoutes.push({ prefix, handler });
    this.prefixRoutes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  private handlerFor(path: string): RouteHandler | undefined {
    return (
      this.routes.get(path) ??
      this.prefixRoutes.find((route) => path.startsWith(route.prefix))?.handler
    );
  }

  async listen(): Promise<number> {
    const listener: RequestListener = (request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      const handler = this.handlerFor(path);
      if (!handler) return sendJson(response, 404, { error: 'not found' });
      Promise.resolve(handler(request, response)).catch((error: unknown) => {
        this.options.logger.error({ err: error, path }, 'HTTP handler failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      });
    };
    const server = createServer(listener);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  /** The address actually listened on (e.g. `127.0.0.1`), once listening. */
  get boundHost(): string {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.address : (this.options.host ?? '');
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Requests still open after a moment (a client holding a connection) do not hold up the exit.
    const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(cutOff);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function withinMs<T>(ms: number, work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
