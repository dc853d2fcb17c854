import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageFetcher } from '../src/core/images.js';
import { JobStore } from '../src/core/jobs.js';
import type { Store } from '../src/core/store.js';
import type { ImageSource, JobState } from '../src/core/types.js';
import { HttpServer } from '../src/http/server.js';
import { encodePng } from '../src/simulator/png.js';
import {
  createEditingSupport,
  localFileSource,
  readLocalImage,
  SOURCES_PATH_PREFIX,
  startSourceHost,
  type EditingParts,
} from '../src/sources/index.js';
import { openStore } from '../src/storage/open-store.js';
import { makeRequest, TEST_KEY } from './helpers/core.js';

const png = encodePng(4, 4, () => [250, 120, 0]);
const HOUR_MS = 60 * 60 * 1000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET: the path goes out exactly as written (`..` and `%2e` included), as a prober sends it. */
function get(origin: string, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${origin}/`, { method, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Path and query of a signed link, to send to our own origin. */
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

let store: Store;
let jobs: JobStore;
let http: HttpServer;
let origin: string;
let editing: EditingParts;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 1);
  store = await openStore('memory://');
  jobs = new JobStore(store);
  let port = 0;
  editing = createEditingSupport({
    store,
    fetcher: new ImageFetcher(),
    apiKey: TEST_KEY,
    logger: pino({ level: 'silent' }),
    baseUrl: () => `http://127.0.0.1:${port}`,
    now: () => clock,
  });
  // The bot's own HTTP server, with the route as src/main.ts mounts it.
  http = new HttpServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    readiness: () => Promise.resolve({ ready: true, checks: {} }),
  });
  http.routePrefix(SOURCES_PATH_PREFIX, editing.serve);
  port = await http.listen();
  origin = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await http.close();
  await store.close();
});

/** A private image kept for a job in `state`: what a Slack file becomes once prepared. */
async function keptFor(state: JobState = 'submitted') {
  const [source] = await editing.sources.prepare(
    [{ url: 'https://files.slack.test/private/cat.png', name: 'cat.png', private: true }],
    () => Promise.resolve({ bytes: png, contentType: 'image/png', fileName: 'image.png' }),
  );
  const job = { ...makeRequest(), sources: [source!], cost: 1, createdAt: clock, updatedAt: clock };
  await jobs.save({ ...job, state });
  return { hostedId: source!.hostedId!, requestId: job.requestId, job };
}

/** The 404 an unknown route gets: every refusal must look exactly like it. */
async function expectNothingThere(path: string, method = 'GET') {
  const answer = await get(origin, path, method);
  const unknown = await get(origin, '/no-such-route');
  expect(answer.status, path).toBe(404);
  expect(answer.body.toString(), path).toBe(unknown.body.toString());
  expect(answer.body.includes(png), path).toBe(false);
}

describe('signed source links', () => {
  it('serve the kept image while its job is in flight: its own type, never cached or sniffed', async () => {
    const { hostedId, requestId } = await keptFor('waiting');
    const link = editing.links.urlFor(hostedId, requestId);
    expect(link).toMatch(
      new RegExp(
        `^${origin}/sources/${requestId}/${hostedId.replace('.', '\\.')}\\?expires=\\d+&sig=[\\w-]+$`,
      ),
    );
    const answer = await get(origin, pathOf(link));
    expect(answer.status).toBe(200);
    expect(answer.body.equals(png)).toBe(true);
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    // Exact routes are untouched by the prefix route.
    expect((await get(origin, '/healthz')).status).toBe(200);
  });

  it('expire within the hour: served just before, 404 just after', async () => {
    const { hostedId, requestId } = await keptFor();
    const link = editing.links.urlFor(hostedId, requestId);
    const expires = Number(new URL(link).searchParams.get('expires')) * 1000;
    expect(expires - clock).toBeLessThanOrEqual(HOUR_MS);
    clock = expires - 1;
    expect((await get(origin, pathOf(link))).status).toBe(200);
    clock = expires + 1;
    await expectNothingThere(pathOf(link));
  });

  it('stop serving once the job has finished, done or failed', async () => {
    for (const state of ['done', 'failed'] as const) {
      const { hostedId, requestId, job } = await keptFor();
      const link = editing.links.urlFor(hostedId, requestId);
      expect((await get(origin, pathOf(link))).status).toBe(200);
      await jobs.save({ ...job, state, finishedAt: clock });
      await expectNothingThere(pathOf(link));
    }
  });

  it('are 404 when the signature, the expiry, the job or the image in the path is changed', async () => {
    const first = await keptFor();
    const second = await keptFor();
    const link = new URL(editing.links.urlFor(first.hostedId, first.requestId));
    const sig = link.searchParams.get('sig')!;
    const expires = link.searchParams.get('expires')!;
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const base = `/sources/${first.requestId}/${first.hostedId}`;
    await expectNothingThere(`${base}?expires=${expires}&sig=${flipped}`);
    await expectNothingThere(`${base}?expires=${expires}&sig=`);
    await expectNothingThere(`${base}?expires=${Number(expires) - 60}&sig=${sig}`);
    await expectNothingThere(`${base}?sig=${sig}`);
    // The other job's image, or the other job, with this link's signature.
    await expectNothingThere(`/sources/${first.requestId}/${second.hostedId}${link.search}`);
    await expectNothingThere(`/sources/${second.requestId}/${first.hostedId}${link.search}`);
    await expectNothingThere(`/sources/${first.requestId}/${first.hostedId}/x${link.search}`);
    // Only GET and HEAD.
    await expectNothingThere(pathOf(link.toString()), 'POST');
    expect((await get(origin, pathOf(link.toString()))).status).toBe(200);
  });

  it('reach nothing else in the store: not another namespace, even under a valid signature', async () => {
    const { requestId, hostedId } = await keptFor();
    // A record of another namespace under a well-shaped id, and the job record itself.
    const draftId = `${hostedId[0] === 'Z' ? 'Y' : 'Z'}${hostedId.slice(1)}`;
    await store.namespace('drafts').set(draftId, {
      bytes: png.toString('base64'),
      contentType: 'image/png',
    });
    await expectNothingThere(pathOf(editing.links.urlFor(draftId, requestId)));
    await expectNothingThere(pathOf(editing.links.urlFor(requestId, requestId)));
    await store.namespace('jobs').delete(requestId);
    await expectNothingThere(pathOf(editing.links.urlFor(hostedId, requestId)));
  });

  it('reach nothing on disk: traversal, encoded or not, and file paths are 404 even when signed', async () => {
    const { requestId } = await keptFor();
    const signed = (id: string) => pathOf(editing.links.urlFor(id, requestId));
    for (const id of ['../../package.json', '..%2F..%2Fpackage.json', '/etc/passwd', '%2e%2e']) {
      await expectNothingThere(signed(id));
    }
    const expires = Math.floor(clock / 1000) + 60;
    for (const path of [
      `/sources/../package.json`,
      `/sources/${requestId}/../../package.json?expires=${expires}&sig=x`,
      `/sources/%2e%2e/%2e%2e/package.json?expires=${expires}&sig=x`,
      `/sources/${requestId}/..%2f..%2fpackage.json?expires=${expires}&sig=x`,
      `/sources/${requestId}/%2Fetc%2Fpasswd?expires=${expires}&sig=x`,
    ]) {
      const answer = await get(origin, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString(), path).not.toContain('"name"');
    }
  });
});

describe('startSourceHost: a local file for the terminal command', () => {
  const hostFor = (apiBaseUrl: string) =>
    startSourceHost({
      store,
      fetcher: new ImageFetcher(),
      apiKey: TEST_KEY,
      logger: pino({ level: 'silent' }),
      apiBaseUrl,
    });

  it('serves a local image at a signed link while its job runs, and only then', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gib-source-'));
    const path = join(folder, 'sketch.png');
    writeFileSync(path, png);
    const host = await hostFor('http://127.0.0.1:9');
    try {
      expect(host.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const sources: ImageSource[] = await host.sources.prepare(
        [localFileSource(path)],
        readLocalImage,
      );
      expect(sources).toEqual([{ hostedId: expect.any(String) as string, name: 'sketch.png' }]);
      const request = makeRequest();
      const job = { ...request, sources, cost: 1, createdAt: clock, updatedAt: clock };
      await jobs.save({ ...job, state: 'submitted' });
      const link = host.links.urlFor(sources[0]!.hostedId!, request.requestId);
      const served = await fetch(link);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
      await jobs.save({ ...job, state: 'done' });
      expect((await fetch(link)).status).toBe(404);
    } finally {
      await host.close();
    }
  });

  it('refuses a local file when the API is remote and PUBLIC_URL is not set', async () => {
    const host = await hostFor('https://api.example.test');
    try {
      expect(host.baseUrl).toBeUndefined();
      await expect(
        host.sources.prepare([localFileSource('/tmp/whatever.png')], readLocalImage),
      ).rejects.toMatchObject({ code: 'sources_not_set_up' });
    } finally {
      await host.close();
    }
  });
});
