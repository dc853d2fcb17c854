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

/**
 * One HTTP server for health checks and, as platforms add them, their receivers
 * (`/slack/events`, `/discord/interactions`), mounted by path.
 */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | undefined;

  constructor(private readonly options: HttpServerOptions) {
    this.route('/healthz', (_request, response) => sendJson(response, 200, { status: 'ok' }));
    this.route('/readyz', async (_request, response) => {
      const { ready, checks } = await this.options.readiness();
      sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    });
  }

  route(path: string, handler: RouteHandler): void {
    this.routes.set(path, handler);
  }

  async listen(): Promise<number> {
    const listener: RequestListener = (request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      const handler = this.routes.get(path);
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
      server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
