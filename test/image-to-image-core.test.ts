import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceLinks } from '../src/core/source-links.js';
import type { GenerationRequest, ImageSource } from '../src/core/types.js';
import {
  encodePng,
  IMAGE_TO_IMAGE_MODEL_ID,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';
import { startSourceHost, type SourceHost } from './fakes/image-api/source-host.js';
import { makeRequest, startTestCore, stateOf, TEST_KEY, type TestCore } from './helpers/core.js';
import { RecordingDelivery } from './helpers/recording-delivery.js';

let sim: ImageApiSimulator;
let host: SourceHost;
let core: TestCore | undefined;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 50 });
  host = await startSourceHost();
});

afterEach(async () => {
  await core?.close();
  core = undefined;
  await sim.close();
  await host.close();
});

const png = encodePng(8, 8, () => [10, 200, 60]);

/** The bot's signed links, reduced to what the core relies on: a new URL each time it is asked. */
class CountingLinks implements SourceLinks {
  signed = 0;
  constructor(private readonly label: string) {}
  urlFor(hostedId: string, requestId: string): string {
    this.signed++;
    const url = host.put(`/sources/${requestId}/${hostedId}.png`, { body: png });
    return `${url}?sig=${this.label}-${this.signed}`;
  }
}

interface CreateCall {
  requestId?: string;
  body: { model: string; input: Record<string, unknown> };
}

function createBodies(): CreateCall[] {
  return sim.requests.filter((request) => request.endpoint === 'createTask') as CreateCall[];
}

/** makeRequest with what it does not take itself: the sources and the derivation. */
function editRequest(
  extra: Pick<GenerationRequest, 'sources' | 'derivedFrom'>,
  overrides: Parameters<typeof makeRequest>[0] = {},
): GenerationRequest {
  return { ...makeRequest(overrides), ...extra };
}

describe('generations that start from images', () => {
  it('keeps the sources and derivation on the job, sends them as the image-to-image model, and charges the output resolution', async () => {
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 5 });
    const source = host.put('/result.png', { body: png });
    const request = editRequest(
      {
        sources: [{ url: source, name: 'result.png', previewUrl: source }],
        derivedFrom: { kind: 'edit', parentId: 'parent-1', parentPrompt: 'a harbour' },
      },
      { prompt: 'make it night', options: { resolution: '2K' } },
    );
    const { job } = await core.service.request(request);
    expect(job.sources).toEqual(request.sources);
    expect(job.derivedFrom).toEqual(request.derivedFrom);
    expect((await core.delivery.waitForFinal(request.requestId)).kind).toBe('done');

    const [call] = createBodies();
    expect(call?.requestId).toBe(request.requestId);
    expect(call?.body.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(call?.body.input).toMatchObject({
      prompt: 'make it night',
      resolution: '2K',
      image_urls: [source],
      input_urls: [source],
    });
    expect(host.fetched).toEqual(['/result.png']);
    expect((await core.service.status('test:alice')).remaining).toBe(3);
    await stateOf(core, request.requestId, 'done');
    const stored = await core.service.jobs.get(request.requestId);
    expect(stored).toMatchObject({ state: 'done', sources: request.sources });
    expect(stored?.derivedFrom).toEqual(request.derivedFrom);
  });

  it('refuses more than three sources before anything is reserved or sent', async () => {
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 5 });
    const sources: ImageSource[] = [1, 2, 3, 4].map((n) => ({
      url: host.put(`/${n}.png`, { body: png }),
      name: `${n}.png`,
    }));
    await expect(core.service.request(editRequest({ sources }))).rejects.toThrow(
      /1 to 3 sources, not 4/,
    );
    expect((await core.service.status('test:alice')).remaining).toBe(5);
    expect(sim.requests).toEqual([]);
  });

  it('a source the API cannot fetch fails the job with the API’s reason and gives the credits back', async () => {
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 5 });
    sim.setCredits(TEST_KEY, 20);
    const missing = `${host.origin}/gone.png`;
    const request = editRequest(
      { sources: [{ url: missing, name: 'gone.png' }] },
      { options: { resolution: '2K' } },
    );
    await core.service.request(request);
    const final = await core.delivery.waitForFinal(request.requestId);
    expect(final).toMatchObject({ kind: 'failed', refunded: true });
    expect(final.kind === 'failed' && final.message).toContain(
      `Failed to fetch the source image ${missing}: HTTP 404`,
    );
    await stateOf(core, request.requestId, 'failed');
    expect((await core.service.status('test:alice')).remaining).toBe(5);
    expect(sim.credits(TEST_KEY)).toBe(20);
  });

  it('signs a hosted source when the task is created, and fails the job plainly when nothing can sign it', async () => {
    const links = new CountingLinks('a');
    core = await startTestCore({ apiUrl: sim.url, service: { sourceLinks: links } });
    const request = editRequest({ sources: [{ hostedId: 'h1', name: 'upload.png' }] });
    await core.service.request(request);
    expect((await core.delivery.waitForFinal(request.requestId)).kind).toBe('done');
    expect(links.signed).toBe(1);
    const url = `${host.origin}/sources/${request.requestId}/h1.png?sig=a-1`;
    expect(createBodies()[0]?.body.input.image_urls).toEqual([url]);
    expect(host.fetched).toEqual([url.slice(host.origin.length)]);
    await core.close();

    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 5 });
    const unsigned = editRequest({ sources: [{ hostedId: 'h2', name: 'upload.png' }] });
    await core.service.request(unsigned);
    expect(await core.delivery.waitForFinal(unsigned.requestId)).toMatchObject({
      kind: 'failed',
      refunded: true,
    });
    expect((await core.service.status('test:alice')).remaining).toBe(5);
    expect(createBodies()).toHaveLength(1);
  });

  it('a job with a hosted source resumed after a restart is sent with a freshly signed URL', async () => {
    const storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gib-i2i-')), 'bot.sqlite')}`;
    const delivery = new RecordingDelivery();
    const before = new CountingLinks('before');
    // The first process's createTask never gets an answer (no task is made), and it goes away.
    sim.inject({ endpoint: 'createTask', kind: { type: 'hang' } });
    const first = await startTestCore({
      apiUrl: sim.url,
      storeUrl,
      delivery,
      dailyCredits: 5,
      service: { sourceLinks: before },
    });
    const request = editRequest(
      {
        sources: [{ hostedId: 'h1', name: 'upload.png' }],
        derivedFrom: { kind: 'upscale', parentId: 'p1', parentPrompt: 'a fox' },
      },
      { options: { resolution: '2K' } },
    );
    await first.service.request(request);
    await delivery.waitFor(() => (createBodies().length === 1 ? true : undefined));
    await first.close();
    expect(before.signed).toBe(1);
    expect(sim.createdTaskCount).toBe(0);

    const after = new CountingLinks('after');
    core = await startTestCore({
      apiUrl: sim.url,
      storeUrl,
      delivery,
      dailyCredits: 5,
      service: { sourceLinks: after },
    });
    expect((await delivery.waitForFinal(request.requestId)).kind).toBe('done');
    const calls = createBodies();
    expect(calls.map((call) => call.requestId)).toEqual([request.requestId, request.requestId]);
    const fresh = `${host.origin}/sources/${request.requestId}/h1.png?sig=after-1`;
    expect(calls[1]?.body.input).toMatchObject({ image_urls: [fresh], input_urls: [fresh] });
    expect(sim.taskFor(request.requestId)?.sourceUrls).toEqual([fresh]);
    expect(host.fetched).toEqual([fresh.slice(host.origin.length)]);
    expect(sim.createdTaskCount).toBe(1);
    expect((await core.service.status('test:alice')).remaining).toBe(3);
    await stateOf(core, request.requestId, 'done');
    expect(await core.service.jobs.get(request.requestId)).toMatchObject({
      derivedFrom: request.derivedFrom,
      sources: request.sources,
    });
  });
});
