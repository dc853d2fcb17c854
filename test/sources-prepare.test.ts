import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceInput } from '../src/conversation/interaction.js';
import type { UserError } from '../src/core/errors.js';
import { ImageFetcher, type DownloadedImage } from '../src/core/images.js';
import type { Logger } from '../src/core/logger.js';
import type { Store } from '../src/core/store.js';
import { encodePng } from '../src/simulator/png.js';
import {
  createEditingSupport,
  localFileSource,
  NOT_SET_UP_WARNING,
  readLocalImage,
} from '../src/sources/index.js';
import type { HostedImage } from '../src/sources/hosted.js';
import { openStore } from '../src/storage/open-store.js';
import { TEST_KEY } from './helpers/core.js';

const png = encodePng(4, 4, () => [10, 200, 30]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(64, 1)]);
const OVER_30_MB = 30 * 1024 * 1024 + 1;

/** A public image host, on loopback: what a Discord CDN or a typed link answers. */
let server: Server;
let origin: string;
const port = () => (server.address() as { port: number }).port;
/** Requests the host answered, by path: refusals from declared facts must make none. */
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.push(path);
    response.on('error', () => {});
    if (path === '/cat.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      response.end(png);
      return;
    }
    if (path === '/dog.jpg') {
      // Typed loosely, as many CDNs do; the bytes decide.
      response.writeHead(200, { 'content-type': 'image/jpeg; charset=binary' });
      response.end(jpeg);
      return;
    }
    if (path === '/to-localhost') {
      // Redirects to a loopback name nobody vouched for: each hop is checked like the first.
      response.writeHead(302, { location: `http://localhost:${port()}/cat.png` });
      response.end();
      return;
    }
    if (path === '/page.html') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><p>not an image</p>');
      return;
    }
    if (path === '/html-as-png.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end('<!doctype html><p>a page claiming to be an image</p>');
      return;
    }
    if (path === '/anim.gif') {
      response.writeHead(200, { 'content-type': 'image/gif' });
      response.end(gif);
      return;
    }
    if (path === '/huge.png') {
      // Declares 30 MB + 1; only its first bytes are ever sent.
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': OVER_30_MB });
      response.write(png);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('no such file');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Setup {
  store: Store;
  warnings: string[];
  prepare(
    inputs: SourceInput[],
    fetchPrivate?: (source: SourceInput) => Promise<DownloadedImage>,
  ): ReturnType<ReturnType<typeof createEditingSupport>['sources']['prepare']>;
}

/**
 * The preparer as the bot builds it. The image host is trusted (as FETCH_ALLOW_HOSTS would make
 * it), so its plain-http loopback address stands in for a public https host.
 */
async function setUp(options: { baseUrl?: string } = {}): Promise<Setup> {
  const store = await openStore('memory://');
  const warnings: string[] = [];
  const record = (fields: object | string, message?: string) =>
    warnings.push(typeof fields === 'string' ? fields : (message ?? ''));
  const logger: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: record };
  const editing = createEditingSupport({
    store,
    fetcher: new ImageFetcher({ allowHosts: ['127.0.0.1'] }),
    apiKey: TEST_KEY,
    logger,
    baseUrl: () => options.baseUrl,
  });
  return {
    store,
    warnings,
    prepare: (inputs, fetchPrivate) => editing.sources.prepare(inputs, fetchPrivate),
  };
}

async function refusalOf(work: Promise<unknown>): Promise<UserError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as UserError).code, String(error)).toBeDefined();
  return error as UserError;
}

const privateUpload = (name: string): SourceInput => ({
  url: `https://files.slack.test/private/${name}`,
  name,
  private: true,
});
const fetched = (bytes: Buffer) => () =>
  Promise.resolve({ bytes, contentType: 'image/png' as const, fileName: 'image.png' });

describe('public sources: checked, probed, passed on as they are', () => {
  it('accepts image links (PNG, JPEG) in order, named after the file, with themselves as the preview', async () => {
    const { prepare } = await setUp();
    const sources = await prepare([
      { url: `${origin}/cat.png` },
      { url: `${origin}/dog.jpg`, name: 'my dog.jpg' },
    ]);
    expect(sources).toEqual([
      { url: `${origin}/cat.png`, name: 'cat.png', previewUrl: `${origin}/cat.png` },
      { url: `${origin}/dog.jpg`, name: 'my dog.jpg', previewUrl: `${origin}/dog.jpg` },
    ]);
  });

  it('refuses more than three images before fetching any', async () => {
    const { prepare } = await setUp();
    const before = hits.length;
    const url = `${origin}/cat.png`;
    const error = await refusalOf(prepare([{ url }, { url }, { url }, { url }]));
    expect(error.code).toBe('too_many_sources');
    expect(error.message).toContain('at most 3');
    expect(hits.length).toBe(before);
  });

  it('refuses an attachment declared as not an image, or over 30 MB, before fetching it', async () => {
    const { prepare } = await setUp();
    const before = hits.length;
    const pdf = await refusalOf(
      prepare([{ url: `${origin}/cat.png`, name: 'notes.pdf', contentType: 'application/pdf' }]),
    );
    expect(pdf.code).toBe('source_not_image');
    expect(pdf.message).toContain('"notes.pdf" is not an image');
    const gifDeclared = await refusalOf(
      prepare([{ url: `${origin}/cat.png`, name: 'a.gif', contentType: 'image/gif' }]),
    );
    expect(gifDeclared.code).toBe('source_not_image');
    const big = await refusalOf(
      prepare([
        { url: `${origin}/cat.png`, name: 'big.png', contentType: 'image/png', size: OVER_30_MB },
      ]),
    );
    expect(big.code).toBe('source_too_large');
    expect(big.message).toContain('"big.png" is larger than 30 MB');
    expect(hits.length).toBe(before);
  });

  it('refuses an http:// link of a host nobody vouched for, before fetching it', async () => {
    const { prepare } = await setUp();
    const error = await refusalOf(prepare([{ url: 'http://images.example.test/cat.png' }]));
    expect(error.code).toBe('source_not_https');
    expect(error.message).toContain(
      'http://images.example.test/cat.png does not start with https://',
    );
  });

  it('refuses a link that answers 404, an HTML page, or a page claiming to be a PNG', async () => {
    const { prepare } = await setUp();
    const missing = await refusalOf(prepare([{ url: `${origin}/gone.png` }]));
    expect(missing.code).toBe('source_unreachable');
    expect(missing.message).toContain('"gone.png" (it answered HTTP 404)');
    const page = await refusalOf(prepare([{ url: `${origin}/page.html` }]));
    expect(page.code).toBe('source_not_image');
    const disguised = await refusalOf(prepare([{ url: `${origin}/html-as-png.png` }]));
    expect(disguised.code).toBe('source_not_image');
  });

  it('refuses a GIF by its bytes: the image service reads PNG, JPEG and WEBP only', async () => {
    const { prepare } = await setUp();
    const error = await refusalOf(prepare([{ url: `${origin}/anim.gif` }]));
    expect(error.code).toBe('source_not_image');
  });

  it('refuses an image whose content-length is over 30 MB without downloading it', async () => {
    const { prepare } = await setUp();
    const error = await refusalOf(prepare([{ url: `${origin}/huge.png` }]));
    expect(error.code).toBe('source_too_large');
  });

  it('refuses a host that refuses the connection, without naming its address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const { prepare } = await setUp();
    const error = await refusalOf(prepare([{ url: `http://127.0.0.1:${port}/cat.png` }]));
    expect(error.code).toBe('source_unreachable');
    expect(error.message).toContain('it could not be reached');
    expect(error.message).not.toContain(String(port));
  });

  it('refuses an https link to a private or loopback address (SSRF guard)', async () => {
    const { prepare } = await setUp();
    const viaRedirect = `${origin}/to-localhost`;
    for (const url of ['https://10.1.2.3/cat.png', 'https://localhost:9/cat.png', viaRedirect]) {
      const error = await refusalOf(prepare([{ url }]));
      expect(error.code).toBe('source_unreachable');
      expect(error.message).toContain('its address is not public');
    }
  });
});

describe('private sources: fetched through the platform and kept to be served', () => {
  it('keeps the checked bytes under an unguessable id and passes on only that id and name', async () => {
    const { prepare, store } = await setUp({ baseUrl: 'https://bot.example.test' });
    const [source] = await prepare([privateUpload('cat.png')], fetched(png));
    expect(Object.keys(source!).sort()).toEqual(['hostedId', 'name']);
    expect(source!.hostedId).toMatch(/^[\w-]{32}\.png$/);
    expect(source!.name).toBe('cat.png');
    const kept = await store.namespace<HostedImage>('sources').get(source!.hostedId!);
    expect(Buffer.from(kept!.bytes, 'base64').equals(png)).toBe(true);
    expect(kept!.contentType).toBe('image/png');
  });

  it('mixes public and private sources in the order given', async () => {
    const { prepare } = await setUp({ baseUrl: 'https://bot.example.test' });
    const sources = await prepare(
      [{ url: `${origin}/cat.png` }, privateUpload('dog.jpg')],
      fetched(jpeg),
    );
    expect(sources.map((source) => source.name)).toEqual(['cat.png', 'dog.jpg']);
    expect(sources[1]!.hostedId).toMatch(/\.jpg$/);
  });

  it('refuses private bytes that are not an image or are over 30 MB, whatever the platform said', async () => {
    const { prepare } = await setUp({ baseUrl: 'https://bot.example.test' });
    const html = await refusalOf(
      prepare([privateUpload('page.png')], fetched(Buffer.from('<!doctype html>'))),
    );
    expect(html.code).toBe('source_not_image');
    const huge = Buffer.concat([png, Buffer.alloc(OVER_30_MB)]);
    const big = await refusalOf(prepare([privateUpload('big.png')], fetched(huge)));
    expect(big.code).toBe('source_too_large');
  });

  it('without a base URL: refused before fetching, and the operator is told once what to set', async () => {
    const { prepare, warnings } = await setUp();
    let fetches = 0;
    const fetchPrivate = () => {
      fetches++;
      return fetched(png)();
    };
    for (let i = 0; i < 2; i++) {
      const error = await refusalOf(prepare([privateUpload('cat.png')], fetchPrivate));
      expect(error.code).toBe('sources_not_set_up');
      expect(error.message).toContain('PUBLIC_URL');
    }
    expect(fetches).toBe(0);
    expect(warnings).toEqual([NOT_SET_UP_WARNING]);
    expect(NOT_SET_UP_WARNING).toContain('set PUBLIC_URL to the https address');
  });
});

describe('local files (the terminal command)', () => {
  it('refuses a missing file and a file that is not an image, and keeps an image', async () => {
    const { prepare } = await setUp({ baseUrl: 'http://127.0.0.1:3000' });
    const folder = mkdtempSync(join(tmpdir(), 'gib-local-'));
    writeFileSync(join(folder, 'notes.png'), 'plain text, whatever the name says');
    writeFileSync(join(folder, 'cat.png'), png);
    const missing = await refusalOf(
      prepare([localFileSource(join(folder, 'gone.png'))], readLocalImage),
    );
    expect(missing.code).toBe('source_unreachable');
    expect(missing.message).toContain('"gone.png" (the file could not be read (ENOENT))');
    const text = await refusalOf(
      prepare([localFileSource(join(folder, 'notes.png'))], readLocalImage),
    );
    expect(text.code).toBe('source_not_image');
    const [kept] = await prepare([localFileSource(join(folder, 'cat.png'))], readLocalImage);
    expect(kept).toMatchObject({ name: 'cat.png' });
    expect(kept!.hostedId).toMatch(/\.png$/);
  });
});
