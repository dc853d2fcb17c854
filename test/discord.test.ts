import { afterEach, describe, expect, it } from 'vitest';
import { current, textOf, type MessageRevision } from './fakes/discord/index.js';
import { startDiscordTestBed, type DiscordTestBed } from './fakes/discord/harness.js';
import { readPngSize } from './fakes/image-api/index.js';

let bed: DiscordTestBed | undefined;

afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const isResult = (revision: MessageRevision) =>
  revision.embeds.some((embed) => embed.image !== undefined);

describe('/imagine', () => {
  it('defers at once, then edits the reply into the uploaded image with its buttons', async () => {
    bed = await startDiscordTestBed();
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a red fox in the snow', aspect_ratio: '16:9', resolution: '2K' },
    });
    const callback = await reply.waitForCallback();
    expect(callback).toMatchObject({ type: 5, status: 200 });
    const message = await reply.waitForResponse(isResult, 'the result');
    const result = current(message);
    expect(result.attachments).toHaveLength(1);
    const png = readPngSize(result.attachments[0]!.bytes);
    expect(png).not.toBeNull();
    console.log(
      JSON.stringify(bed.fake.requests),
      bed.logs.filter((l) => l.level >= 30).map((l) => l.msg + JSON.stringify(l.err ?? '')),
    );
  });
});
