import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { encodePng } from '../../src/simulator/png.js';

/**
 * A third-party host an image API could name in `resultUrls`, on loopback, with the answers a
 * hostile or broken one gives: an HTML page, a body dripped a byte at a time, an endless body, and
 * redirect chains that end wherever the test says (e.g. the bot's own /readyz).
 */
export interface ResultHost {
  /** `http://localhost:PORT`: a name, so the bot resolves it like any other host. */
  readonly origin: string;
  /** The FETCH_ALLOW_HOSTS entry that lets the bot fetch from this host (and only this port). */
  readonly allowEntry: string;
  /** Bodies being dripped right now, one per connection. */
  readonly openDrips: number;
  /** From now on drips end: open ones are cut, new requests get an HTML page. */
  stopDripping(): void;
  /** Resolves once `count` drips are open at the same time. */
  waitForOpenDrips(count: number): Promise<void>;
  url(path: string): string;
  /** `/hop/N` redirects N times, the last time to `to`. */
  redirectChain(hops: number, to: string): string;
  close(): Promise<void>;
}

export async function startResultHost(
  options: { dripIntervalMs?: number } = {},
): Promise<ResultHost> {
  const png = encodePng(4, 4, () => [200, 40, 40]);
  const dripIntervalMs = options.dripIntervalMs ?? 1_000;
  const drips = new Set<Socket>();
  const dripWaiters: Array<{ count: number; resolve: () => void }> = [];
  let dripping = true;

  const html = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Internal dashboard</title><p>secret stuff</p>');
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
    if (hop) {
      const left = Number(hop[1]);
      const to = url.searchParams.get('to') ?? '/';
      const next = left > 1 ? `/hop/${left - 1}?to=${encodeURIComponent(to)}` : to;
      response.writeHead(302, { location: next });
      response.end();
      return;
    }
    switch (url.pathname) {
      case '/page.html':
        html(response);
        return;
      case '/drip.png': {
        if (!dripping) return html(response);
        // A real PNG's first bytes, then one byte a tick: it looks like an image, forever.
        response.writeHead(200, { 'content-type': 'image/png' });
        response.write(png.subarray(0, 16));
        const socket = request.socket;
        drips.add(socket);
        const timer = setInterval(() => response.write(Buffer.alloc(1)), dripIntervalMs);
        socket.once('close', () => {
          clearInterval(timer);
          drips.delete(socket);
        });
        for (const waiter of dripWaiters.filter((entry) => drips.size >= entry.count)) {
          dripWaiters.splice(dripWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        return;
      }
      case '/endless.png': {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.write(png.subarray(0, 16));
        const flood = () => {
          while (!response.destroyed && response.write(Buffer.alloc(64 * 1024)));
        };
        response.on('drain', flood);
        flood();
        return;
      }
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const origin = `http://localhost:${port}`;
  return {
    origin,
    allowEntry: `localhost:${port}`,
    get openDrips() {
      return drips.size;
    },
    stopDripping() {
      dripping = false;
      for (const socket of drips) socket.destroy();
    },
    waitForOpenDrips(count) {
      if (drips.size >= count) return Promise.resolve();
      return new Promise((resolve) => dripWaiters.push({ count, resolve }));
    },
    url: (path) => `${origin}${path}`,
    redirectChain: (hops, to) => `${origin}/hop/${hops}?to=${encodeURIComponent(to)}`,
    async close() {
      dripping = false;
      for (const socket of drips) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
