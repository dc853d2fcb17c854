import { afterEach, describe, expect, it } from 'vitest';
import type { JobCard } from '../src/platforms/playground/room.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';
import {
  encodePng,
  IMAGE_TO_IMAGE_MODEL_ID,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';

let harness: PlaygroundHarness | undefined;
let sim: ImageApiSimulator | undefined;
const clients: PlaygroundApiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await harness?.close();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

const PNG = encodePng(40, 30, (x) => [x * 6, 90, 160]);

/** The playground on the fake image API, as with a real key: tasks and source fetches are recorded. */
async function open(viewer = 'ada'): Promise<PlaygroundApiClient> {
  if (!harness) {
    sim = await startImageApiSimulator({ taskDurationMs: 150 });
    harness = await startPlayground({
      env: { AIGPTIMAGE_API_KEY: 'sk-playground-edit', AIGPTIMAGE_BASE_URL: sim.url },
    });
  }
  const client = await PlaygroundApiClient.open(harness.url, viewer);
  clients.push(client);
  return client;
}

const cardFor = (client: PlaygroundApiClient, requestId: string) =>
  client.until(
    () =>
      client
        .jobs()
        .map((message) => ({ message, card: message.body as JobCard }))
        .find(({ card }) => card.requestId === requestId && card.state === 'done'),
    `the result of ${requestId}`,
  );

const tasksOf = (requestId: string) =>
  [...sim!.tasks.values()].filter((task) => task.requestId === requestId);

async function credits(client: PlaygroundApiClient): Promise<number> {
  const before = client.notices().length;
  await client.command('/quota');
  const text = await client.until(() => client.notices()[before], 'the quota');
  return Number(/You have (\d+) of/.exec(text)![1]);
}

async function attachAndSend(client: PlaygroundApiClient, text: string, files: number) {
  const uploads: string[] = [];
  for (let index = 0; index < files; index++) {
    const { status, body } = await client.upload(PNG, `cat${index + 1}.png`);
    expect(status).toBe(201);
    uploads.push(body.id!);
  }
  const id = clientId();
  await client.command(text, 'general', id, uploads);
  return `playground-${id}`;
}

describe(
  'playground: image-to-image from attachments and from results',
  { timeout: 60_000 },
  () => {
    it('attached images are served to the API for that task only, under both field names; one charge', async () => {
      const ada = await open();
      const requestId = await attachAndSend(ada, '/imagine make it night --res 2K', 2);
      const { card } = await cardFor(ada, requestId);
      expect(card.madeFrom).toBe('From cat1.png, cat2.png');
      expect(card.sources?.map((source) => source.local)).toEqual([true, true]);
      const [task] = tasksOf(requestId);
      expect(task!.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
      expect(task!.input.prompt).toBe('make it night');
      const urls = task!.input['image_urls'] as string[];
      expect(task!.input['input_urls']).toEqual(urls);
      expect(urls).toHaveLength(2);
      // The bot serves them itself (the API is on this machine), at signed paths.
      for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sources\//);
      expect(sim!.sourceFetches.map((fetch) => [fetch.status, fetch.bytes])).toEqual([
        [200, PNG.length],
        [200, PNG.length],
      ]);
      // Once the task is done, its links serve nothing.
      expect((await fetch(urls[0]!)).status).toBe(404);
      expect(await credits(ada)).toBe(20 - 2);
    });

    it('Edit form → one task from the result, keyed by the submission; a resend starts nothing more', async () => {
      const ada = await open();
      const first = clientId();
      await ada.command('/imagine a paper kite', 'general', first);
      const parent = await cardFor(ada, `playground-${first}`);
      await ada.click(parent.message.id, 'edit');
      const form = await ada.until(
        () => [...ada.messages.values()].find((message) => message.body.type === 'edit-form'),
        'the edit form',
      );
      expect(form.visibleTo).toBe('ada');
      expect(form.body).toMatchObject({
        cost: expect.stringContaining('Costs 1 credit') as string,
      });
      const submit = clientId();
      await ada.editStep(form.id, { prompt: 'make the kite red' }, submit);
      await ada.editStep(form.id, { prompt: 'make the kite red' }, submit);
      const { card } = await cardFor(ada, `playground-${submit}`);
      expect(card.madeFrom).toBe('Edited from “a paper kite”');
      const tasks = tasksOf(`playground-${submit}`);
      expect(tasks).toHaveLength(1);
      const parentTask = tasksOf(`playground-${first}`)[0]!;
      expect(tasks[0]!.input['image_urls']).toEqual([sim!.resultUrlOf(parentTask)]);
      expect(tasks[0]!.input.prompt).toBe('make the kite red');
      expect(ada.notices()).toEqual([]);
      expect(await credits(ada)).toBe(20 - 2);

      // /history shows the chain.
      await ada.command('/history');
      const history = await ada.until(
        () => ada.notices().find((text) => text.startsWith('Your recent')),
        'the history',
      );
      expect(history).toContain('"make the kite red" · 1K · done · Edited from “a paper kite”');
    });

    it('Upscale goes 1K → 2K → 4K, charged at the size it makes; a 4K result offers no Upscale', async () => {
      const ada = await open();
      const first = clientId();
      await ada.command('/imagine a lighthouse', 'general', first);
      let parent = await cardFor(ada, `playground-${first}`);
      const madeFrom: string[] = [];
      for (const size of ['2K', '4K']) {
        const click = clientId();
        await ada.click(parent.message.id, 'upscale', undefined, click);
        parent = await cardFor(ada, `playground-${click}`);
        madeFrom.push(parent.card.madeFrom ?? '');
        expect(tasksOf(`playground-${click}`)[0]!.input.resolution).toBe(size);
      }
      expect(madeFrom[0]).toBe('Upscaled to 2K from “a lighthouse”');
      // An upscale of an upscale quotes its parent's prompt, which is the upscale instruction.
      expect(madeFrom[1]).toMatch(/^Upscaled to 4K from “/);
      expect(parent.card.actions.map((action) => action.label)).toEqual([
        'Reroll',
        'Edit',
        'Vary',
        'Share to #showcase',
        'Delete',
      ]);
      expect(await credits(ada)).toBe(20 - 1 - 2 - 4);
    });

    it('refused before any task: four images, an image over 30 MB, a file that is not an image, an edit form gone', async () => {
      const ada = await open();
      await attachAndSend(ada, 'four at once', 4);
      await ada.until(
        () =>
          ada
            .notices()
            .includes(
              'You gave 4 images, but an edit can start from at most 3. Use fewer and try again.',
            ),
        'the refusal of four',
      );

      const big = Buffer.concat([PNG, Buffer.alloc(30 * 1024 * 1024)]);
      expect((await ada.upload(big, 'huge.png')).body).toMatchObject({
        refused: 'source_too_large',
      });
      await ada.until(
        () => ada.notices().some((text) => text.startsWith('"huge.png" is larger than 30 MB')),
        'the refusal of a large file',
      );
      expect((await ada.upload(Buffer.from('%PDF-1.7'), 'notes.pdf')).body).toMatchObject({
        refused: 'source_not_image',
      });

      await ada.editStep('no-such-form', { prompt: 'anything' });
      await ada.until(
        () => ada.notices().some((text) => text.includes('has expired')),
        'the expired edit',
      );
      expect(sim!.tasks.size).toBe(0);
      expect(await credits(ada)).toBe(20);
    });
  },
);
