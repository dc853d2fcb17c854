import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageFetcher } from '../src/core/images.js';
import type { ImageSource } from '../src/core/types.js';
import {
  localFileSource,
  readLocalImage,
  startSourceHost,
  type SourceHost,
} from '../src/sources/index.js';
import {
  encodePng,
  IMAGE_TO_IMAGE_MODEL_ID,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';
import { makeRequest, startTestCore, stateOf, TEST_KEY, type TestCore } from './helpers/core.js';

const png = encodePng(8, 8, () => [30, 90, 220]);
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

let sim: ImageApiSimulator | undefined;
let core: TestCore | undefined;
let host: SourceHost | undefined;
afterEach(async () => {
  await core?.close();
  await host?.close();
  await sim?.close();
  core = host = sim = undefined;
});

/**
 * The terminal command's set-up: the image API on this machine, a local file kept and served by
 * the bot at a signed link made when the task is created. `signedAgoMs`: the link is signed as if
 * that long before the API comes to fetch it (the links' clock reads that much earlier while it
 * signs, and true when it checks).
 */
async function localFileRun(signedAgoMs = 0) {
  sim = await startImageApiSimulator({ taskDurationMs: 50 });
  const apiUrl = sim.url;
  // The service's sourceLinks option, as src/main.ts sets it; the host needs the core's store.
  let signing = false;
  const sourceLinks = {
    urlFor(id: string, requestId: string) {
      signing = true;
      try {
        return host!.links.urlFor(id, requestId);
      } finally {
        signing = false;
      }
    },
  };
  core = await startTestCore({ apiUrl, dailyCredits: 10, service: { sourceLinks } });
  host = await startSourceHost({
    store: core.store,
    fetcher: new ImageFetcher({ apiBaseUrl: apiUrl }),
    apiKey: TEST_KEY,
    logger: pino({ level: 'silent' }),
    apiBaseUrl: apiUrl,
    now: () => (signing ? Date.now() - signedAgoMs : Date.now()),
  });
  const folder = mkdtempSync(join(tmpdir(), 'gib-task-source-'));
  writeFileSync(join(folder, 'sketch.png'), png);
  const sources: ImageSource[] = await host.sources.prepare(
    [localFileSource(join(folder, 'sketch.png'))],
    readLocalImage,
  );
  const request = { ...makeRequest({ prompt: 'make it blue' }), sources };
  await core.service.request(request);
  return { request, sim, core, host };
}

describe('a kept source through a real task', () => {
  it('the API fetches the signed link once while the task runs; after the job, the link is dead', async () => {
    const { request, sim, core, host } = await localFileRun();
    await stateOf(core, request.requestId, 'done');
    const create = sim.requests.find((r) => r.endpoint === 'createTask');
    const body = create!.body as {
      model: string;
      input: { image_urls: string[]; input_urls: string[] };
    };
    expect(body.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    const [link] = body.input.image_urls;
    expect(body.input.input_urls).toEqual([link]);
    expect(link).toMatch(
      new RegExp(
        `^${host.baseUrl}/sources/${request.requestId}/[\\w-]{32}\\.png\\?expires=\\d+&sig=`,
      ),
    );
    expect(sim.sourceFetches).toEqual([
      expect.objectContaining({
        url: link,
        status: 200,
        contentType: 'image/png',
        bytes: png.length,
      }),
    ]);
    expect((await fetch(link!)).status).toBe(404);
    expect((await core.service.status('test:alice')).remaining).toBe(9);
  });

  it('a link that has expired when the API fetches it fails the task with its failMsg, credits back', async () => {
    // Signed two hours before the API comes for it: expired by then.
    const { request, sim, core } = await localFileRun(-TWO_HOURS_MS);
    await stateOf(core, request.requestId, 'failed');
    expect(sim.sourceFetches).toEqual([expect.objectContaining({ status: 404 })]);
    const job = await core.service.findJob(request.requestId);
    expect(job?.outcome).toMatchObject({
      kind: 'failure',
      failMsg: expect.stringContaining('Failed to fetch the source image') as string,
    });
    expect((await core.service.status('test:alice')).remaining).toBe(10);
    // The person is told which of their images could not be fetched, not shown our signed link.
    const final = await core.delivery.waitForFinal(request.requestId);
    const message = final.kind === 'failed' ? final.message : '';
    expect(message).toMatch(/^The image could not be made from its source image: /);
    expect(message).toContain('Failed to fetch the source image "sketch.png": HTTP 404');
    expect(message).not.toContain('/sources/');
  });
});
