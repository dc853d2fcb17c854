import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
    if (hostile(url, request, response)) return;
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

// Time enough for a loaded machine; only /hang ever waits it out.
const limits = { maxBytes: 5_000, timeoutMs: 2_000, maxRedirects: 3, attempts: 1 };

const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(500, 1)]);

/** Answers a third party might give instead of an image; true when it handled the request. */
function hostile(url: URL, request: IncomingMessage, response: ServerResponse): boolean {
  switch (url.pathname) {
    case '/redirect-to':
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      response.end();
      return true;
    case '/secret':
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
      return true;
    case '/page.html':
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>internal</title>');
      return true;
    case '/disguised.png':
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end('<!doctype html><title>internal dashboard</title>');
      return true;
    case '/photo.png':
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(jpeg);
      return true;
    case '/drip.png': {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(png.subarray(0, 16));
      const drip = setInterval(() => response.write(Buffer.alloc(1)), 30);
      request.socket.once('close', () => clearInterval(drip));
      return true;
    }
    case '/endless.png': {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(png.subarray(0, 16));
      const flood = () => {
        while (response.write(Buffer.alloc(16 * 1024)));
      };
      response.on('drain', flood);
      flood();
      return true;
    }
    default:
      return false;
  }
}

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

describe('what a third party can make the fetcher do', () => {
  const port = () => new URL(origin).port;

  async function failureOf(
    url: string,
    using: ImageFetcher = fetcher,
    overrides: Partial<DownloadLimits> = {},
  ): Promise<ImageDownloadError> {
    const error = await using.download(url, { ...limits, ...overrides }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDownloadError);
    return error as ImageDownloadError;
  }

  it('refuses loopback to a host nobody trusts: as an address, by name at connect time, in other spellings', async () => {
    const strict = new ImageFetcher();
    hits.delete('/secret');
    for (const url of [
      `${origin}/secret`,
      `http://localhost:${port()}/secret`,
      `http://[::1]:${port()}/secret`,
      `http://[::ffff:127.0.0.1]:${port()}/secret`,
      `http://0x7f000001:${port()}/secret`,
      `http://2130706433:${port()}/secret`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const error = await failureOf(url, strict);
      expect(error.reason, url).toBe('forbidden_address');
      expect(error.transient).toBe(false);
    }
    expect(hits.get('/secret')).toBeUndefined();
    await strict.close();
  });

  it('checks every redirect: a trusted host cannot send the fetcher to an untrusted loopback name', async () => {
    hits.delete('/secret');
    const to = encodeURIComponent(`http://localhost:${port()}/secret`);
    expect((await failureOf(`${origin}/redirect-to?to=${to}`)).reason).toBe('forbidden_address');
    const file = encodeURIComponent('file:///etc/passwd');
    expect((await failureOf(`${origin}/redirect-to?to=${file}`)).reason).toBe('bad_url');
    expect(hits.get('/secret')).toBeUndefined();
  });

  it('accepts only an image: by content type and by its bytes', async () => {
    expect((await failureOf(`${origin}/page.html`)).reason).toBe('not_image');
    expect((await failureOf(`${origin}/disguised.png`)).reason).toBe('not_image');
  });

  it('names and types the file from its bytes, never from the URL or the header', async () => {
    expect(await fetcher.download(`${origin}/photo.png`, limits)).toMatchObject({
      contentType: 'image/jpeg',
      fileName: 'image.jpg',
    });
  });

  it('drops a host that drips the body, as a failure that may pass', async () => {
    const error = await failureOf(`${origin}/drip.png`, fetcher, {
      timeoutMs: 10_000,
      minBytesPerSecond: 1_000,
      slowWindowMs: 200,
    });
    expect(error.reason).toBe('too_slow');
    expect(error.transient).toBe(true);
  });

  it('stops an endless body at the cap, and never offers it as a link', async () => {
    const error = await failureOf(`${origin}/endless.png`, fetcher, {
      maxBytes: 200_000,
      timeoutMs: 10_000,
    });
    expect(error.reason).toBe('too_large');
    expect(error.linkable).toBe(false);
  });

  it('offers as a link only a real image whose declared size is over the cap', async () => {
    const error = await failureOf(`${origin}/image.png`, fetcher, { maxBytes: 100 });
    expect(error).toMatchObject({ reason: 'too_large', linkable: true });
  });
});
