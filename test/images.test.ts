import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDownloadError, ImageFetcher, type DownloadLimits } from '../src/core/images.js';

// The test server is on loopback, which only a host the operator trusts may be.
const fetcher = new ImageFetcher({ allowHosts: ['127.0.0.1'] });
const downloadImage = (url: string, limits: Partial<DownloadLimits>) =>
  fetcher.download(url, limits);

let server: Server;
let origin: string;
let flakyFailuresLeft = 0;
const hits = new Map<string, number>();
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(1000, 7)]);

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const hops = Number(url.searchParams.get('hops') ?? 0);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (url.pathname === '/flaky.png' && flakyFailuresLeft-- > 0) {
      response.writeHead(503);
      response.end();
      return;
    }
    if (url.pathname === '/flaky.png') url.pathname = '/image.png';
    if (url.pathname === '/redirect') {
      response.writeHead(302, { location: hops > 1 ? `/redirect?hops=${hops - 1}` : '/image.png' });
      response.end();
      return;
    }
    if (url.pathname === '/image.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      response.end(png);
      return;
    }
    if (url.pathname === '/lying-length') {
      // No content-length: the cap must hold while streaming.
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(png.subarray(0, 600));
      response.end(Buffer.alloc(600));
      return;
    }
    // /hang never answers.
    if (url.pathname !== '/hang') {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 5_000, timeoutMs: 500, maxRedirects: 3, attempts: 1 };

async function reasonOf(url: string, overrides: Partial<typeof limits> = {}): Promise<string> {
  const error = await downloadImage(url, { ...limits, ...overrides }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImageDownloadError);
  return (error as ImageDownloadError).reason;
}

describe('downloadImage', () => {
  it('returns the bytes, type and a file name', async () => {
    const image = await downloadImage(`${origin}/image.png`, limits);
    expect(image.bytes.equals(png)).toBe(true);
    expect(image).toMatchObject({ contentType: 'image/png', fileName: 'image.png' });
  });

  it('follows up to the redirect limit, and no further', async () => {
    expect((await downloadImage(`${origin}/redirect?hops=3`, limits)).bytes.length).toBe(
      png.length,
    );
    expect(await reasonOf(`${origin}/redirect?hops=4`)).toBe('bad_url');
  });

  it('refuses anything but http(s)', async () => {
    expect(await reasonOf('file:///etc/passwd')).toBe('bad_url');
    expect(await reasonOf('ftp://example.com/a.png')).toBe('bad_url');
    expect(await reasonOf('not a url')).toBe('bad_url');
  });

  it('enforces the size cap from the header and while streaming', async () => {
    expect(await reasonOf(`${origin}/image.png`, { maxBytes: 100 })).toBe('too_large');
    expect(await reasonOf(`${origin}/lying-length`, { maxBytes: 1_000 })).toBe('too_large');
  });

  it('times out a server that never answers', async () => {
    expect(await reasonOf(`${origin}/hang`)).toBe('timeout');
  });

  it('retries a download that failed for a passing reason, then succeeds', async () => {
    flakyFailuresLeft = 2;
    const image = await downloadImage(`${origin}/flaky.png`, { ...limits, attempts: 3 });
    expect(image.bytes.equals(png)).toBe(true);
    expect(hits.get('/flaky.png')).toBe(3);
  });

  it('does not retry what cannot pass: a 404 is asked for once', async () => {
    hits.delete('/gone.png');
    expect(await reasonOf(`${origin}/gone.png`, { attempts: 3 })).toBe('http_status');
    expect(hits.get('/gone.png')).toBe(1);
  });

  it('reports an HTTP error status', async () => {
    expect(await reasonOf(`${origin}/missing.png`)).toBe('http_status');
  });
});
