/**
 * Starting from one's own images on Discord, end to end through the real discord.js: `/imagine`
 * with attachments, and what is refused before any task.
 */
import { describe, expect, it } from 'vitest';
import {
  createTaskCalls,
  imageUrlOf,
  showsImage,
  creditsUsed,
  pngUpload,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, MessageFlag, textOf, type FakeUpload } from './fakes/discord/index.js';
import { IMAGE_TO_IMAGE_MODEL_ID, readPngSize } from './fakes/image-api/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

/** Where Discord's CDN serves a file attached to a command option. */
function cdnUrlOf(filename: string): string {
  const upload = [...bed!.fake.cdn.commandUploads.values()].find(
    (file) => file.filename === filename,
  );
  if (!upload) throw new Error(`${filename} was not attached`);
  return upload.url;
}

describe('/imagine with attached images', () => {
  it('one attachment: an image-to-image task from its CDN URL, keyed by the interaction, shown as made from it', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'turn it into a watercolour', image: pngUpload('sketch.png', 200) },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');

    const [task] = createTaskCalls(bed.sim);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
    expect(task!.requestId).toBe(reply.id);
    const url = cdnUrlOf('sketch.png');
    expect(task!.body).toMatchObject({
      model: IMAGE_TO_IMAGE_MODEL_ID,
      input: {
        prompt: 'turn it into a watercolour',
        image_urls: [url],
        input_urls: [url],
        resolution: '1K',
      },
    });
    expect(bed.sim.sourceFetches.map((fetch) => fetch.url)).toContain(url);

    const result = current(message);
    expect(result.attachments).toHaveLength(1);
    expect(result.attachments[0]!.contentType).toBe('image/png');
    expect(readPngSize(result.attachments[0]!.bytes)).not.toBeNull();
    expect(imageUrlOf(result)).toBe(`attachment://${result.attachments[0]!.filename}`);
    const text = textOf(result);
    expect(text).toContain('From sketch.png');
    expect(text).toContain(url);
    expect(await creditsUsed(bed, alice)).toBe(1);

    const history = await bed.fake.runCommand({ name: 'history', user: alice });
    await history.waitForText('· From sketch.png');
  });

  it('three attachments go to the API in the order of the options, charged at the output size', async () => {
    bed = await beds.start();
    const bob = bed.fake.user('bob');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bob,
      options: {
        prompt: 'put the three of them in one room',
        resolution: '2K',
        image: pngUpload('first.png', 10),
        image2: pngUpload('second.png', 120),
        image3: pngUpload('third.png', 240),
      },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const urls = ['first.png', 'second.png', 'third.png'].map(cdnUrlOf);
    const [task] = createTaskCalls(bed.sim);
    expect(task!.requestId).toBe(reply.id);
    expect(task!.body).toMatchObject({
      model: IMAGE_TO_IMAGE_MODEL_ID,
      input: { image_urls: urls, input_urls: urls, resolution: '2K' },
    });
    expect(textOf(current(message))).toContain('From first.png, second.png, third.png');
    expect(await creditsUsed(bed, bob)).toBe(2);
  });
});

describe('refused before any task', () => {
  /** The refusal is told only to the asker; no status stays in the channel; nothing is charged. */
  async function expectRefused(options: Record<string, string | FakeUpload>, words: string) {
    const carol = bed!.fake.user('carol');
    const reply = await bed!.fake.runCommand({
      name: 'imagine',
      user: carol,
      options: { prompt: 'make it better', ...options },
    });
    const notice = await reply.waitForText(words);
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    // The refusal is the first and only answer: no public "thinking…" ever showed in the channel.
    expect(reply.response()).toBe(notice);
    expect(createTaskCalls(bed!.sim)).toHaveLength(0);
    expect(bed!.sim.sourceFetches).toHaveLength(0);
    expect(await creditsUsed(bed!, carol)).toBe(0);
  }

  it('an attachment that is not an image', async () => {
    bed = await beds.start();
    await expectRefused(
      { image: { filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('hi') } },
      '"notes.txt" is not an image. Use a PNG, JPEG or WEBP image and try again.',
    );
  });

  it('an image over 30 MB, refused from what Discord declares, before anything is fetched', async () => {
    bed = await beds.start();
    const huge: FakeUpload = {
      filename: 'huge.png',
      contentType: 'image/png',
      bytes: Buffer.alloc(31 * 1024 * 1024),
    };
    await expectRefused(
      { image: huge },
      '"huge.png" is larger than 30 MB, the most the image service accepts.',
    );
    const cdnPath = new URL(cdnUrlOf('huge.png')).pathname;
    expect(bed.fake.requests.filter((request) => request.path === cdnPath)).toHaveLength(0);
  });
});
