import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path answers: a file, an error page, or a body of a given size streamed out. */
export interface HostedFile {
  status?: number;
  contentType?: string;
  body?: Buffer;
  /** Streams this many bytes (no content-length), for files too large to keep. */
  streamBytes?: number;
  /** Announces this content-length and sends nothing more (the reader must stop on the header). */
  declaredBytes?: number;
  /** Answers 302 to this URL. */
  redirectTo?: string;
  /** Answers only once this settles: a slow host. */
  until?: Promise<void>;
}

/**
 * A web host on 127.0.0.1 that source images live on, as an image API fetches them: a public
 * CDN, a Discord attachment host, or the bot's own signed source URLs. Records every GET (path
 * and query) so a test sees which URL was fetched.
 */
export interface SourceHost {
  readonly origin: string;
  /** Every request's path and query, in arrival order. */
  readonly fetched: string[];
  put(path: string, file: HostedFile): string;
  close(): Promise<void>;
}

export async function startSourceHost(): Promise<SourceHost> {
  const files = new Map<string, HostedFile>();
  const fetched: string[] = [];
  const server: Server = createServer((request, response) => {
    const target = request.url ?? '/';
    fetched.push(target);
    const file = files.get(new URL(target, 'http://host.invalid').pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (file.until) {
      const { until, ...rest } = file;
      void until.then(() => answer(rest, response));
      return;
    }
    answer(file, response);
  });
  function answer(file: HostedFile, response: ServerResponse): void {
    if (file.redirectTo) {
      response.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': file.contentType ?? 'image/png' };
    if (file.declaredBytes !== undefined) {
      response.writeHead(file.status ?? 200, {
        ...headers,
        'content-length': String(file.declaredBytes),
      });
      response.write(Buffer.alloc(16));
      return; // the fetcher must give up on the header; the socket closes with the server
    }
    if (file.streamBytes !== undefined) {
      response.writeHead(file.status ?? 200, headers);
      streamZeros(response, file.streamBytes);
      return;
    }
    const body = file.body ?? Buffer.alloc(0);
    response
      .writeHead(file.status ?? 200, { ...headers, 'content-length': String(body.length) })
      .end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    fetched,
    put(path, file) {
      files.set(path, file);
      return origin + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function streamZeros(response: NodeJS.WritableStream & { destroyed: boolean }, total: number) {
  const chunk = Buffer.alloc(1024 * 1024);
  let left = total;
  const pump = () => {
    while (left > 0 && !response.destroyed) {
      const size = Math.min(left, chunk.length);
      left -= size;
      if (!response.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}
