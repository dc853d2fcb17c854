/**
 * Edit, Vary and Upscale on a Discord result, end to end through the real discord.js: the form
 * (modal) Edit opens, the task each makes from the result, its key, its charge, and what it shows.
 */
import { describe, expect, it } from 'vitest';
import {
  componentIds,
  createTaskCalls,
  showsImage,
  creditsUsed,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import {
  current,
  MessageFlag,
  textOf,
  type FakeMessage,
  type FakeUser,
  type InteractionHandle,
} from './fakes/discord/index.js';
import { IMAGE_TO_IMAGE_MODEL_ID } from './fakes/image-api/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

const UPSCALE_TO_2K =
  'Upscale this image to 2K. Keep its content, composition, colours and style exactly as they are.';

interface Result {
  id: string;
  message: FakeMessage;
  /** The API's public URL of the image, which Edit, Vary and Upscale start from. */
  url: string;
}

async function result(
  user: FakeUser,
  options: Record<string, string | boolean> = {},
): Promise<Result> {
  const reply = await bed!.fake.runCommand({
    name: 'imagine',
    user,
    options: { prompt: 'a paper kite', ...options },
  });
  const message = await reply.waitForResponse(showsImage, 'the result');
  const task = [...bed!.sim.tasks.values()].find((candidate) => candidate.requestId === reply.id);
  return { id: reply.id, message, url: bed!.sim.resultUrlOf(task!) };
}

/** The one task an interaction made: image-to-image, from the result, sent under both names. */
function imageToImageTask(handle: InteractionHandle, from: Result) {
  const tasks = createTaskCalls(bed!.sim).filter((call) => call.requestId === handle.id);
  expect(tasks).toHaveLength(1);
  const body = tasks[0]!.body as { model: string; input: Record<string, unknown> };
  expect(body.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
  expect(body.input.image_urls).toEqual([from.url]);
  expect(body.input.input_urls).toEqual([from.url]);
  return body.input;
}

describe('Edit', () => {
  it('opens a form with its cost; sending it makes one task from the result, keyed by the submission', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const bob = bed.fake.user('bob');
    const kite = await result(alice, { resolution: '2K' });

    const pressed = await bed.fake.clickButton(kite.message, `edit:${kite.id}`, { user: bob });
    const form = await pressed.waitForModal();
    // The form is the click's first and only answer: no "thinking…" before it.
    expect(pressed.callbacks.map((callback) => callback.type)).toEqual([9]);
    expect(form.title).toBe('Edit image (2 credits)');
    expect(JSON.stringify(form.components)).toContain('What should change?');
    expect(createTaskCalls(bed.sim)).toHaveLength(1);

    const submitted = await bed.fake.submitModal(pressed, { prompt: 'make the kite red' });
    const edited = await submitted.waitForResponse(showsImage, 'the edited result');
    expect(edited.id).not.toBe(kite.message.id);
    const input = imageToImageTask(submitted, kite);
    expect(input).toMatchObject({ prompt: 'make the kite red', resolution: '2K' });
    const text = textOf(current(edited));
    expect(text).toContain('Edited from “a paper kite”');
    expect(text).toContain(`<@${bob.id}>`);
    // Charged to whoever edits, at the result's size.
    expect(await creditsUsed(bed, bob)).toBe(2);
    expect(await creditsUsed(bed, alice)).toBe(2);

    // The editor's history shows where the edit came from.
    const history = await bed.fake.runCommand({ name: 'history', user: bob });
    await history.waitForText('Edited from “a paper kite”');
  });

  it('over HTTP interactions the form is the HTTP answer to the click', async () => {
    bed = await beds.start({ httpInteractions: true });
    const alice = bed.fake.user('alice');
    const kite = await result(alice);
    const pressed = await bed.fake.clickButton(kite.message, `edit:${kite.id}`, { user: alice });
    await pressed.waitForModal();
    expect(
      bed.fake.endpointResponses.find((answer) => answer.interactionId === pressed.id),
    ).toMatchObject({ status: 200, body: { type: 9 } });
    const submitted = await bed.fake.submitModal(pressed, { prompt: 'in autumn' });
    await submitted.waitForResponse(showsImage, 'the edited result');
    expect(imageToImageTask(submitted, kite)).toMatchObject({ prompt: 'in autumn' });
  });

  it('a form sent twice (a double submit, a redelivery) makes one task and one charge', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const kite = await result(alice);
    const pressed = await bed.fake.clickButton(kite.message, `edit:${kite.id}`, { user: alice });
    await pressed.waitForModal();
    const submitted = await bed.fake.submitModal(pressed, { prompt: 'at dusk' });
    bed.fake.redeliver(submitted);
    await submitted.waitForResponse(showsImage, 'the edited result');
    bed.fake.redeliver(submitted);
    // The last redelivery is answered (refused as already acknowledged) before we count.
    await bed.fake.waitFor(
      () => (submitted.callbacks.length >= 3 ? true : undefined),
      'the third callback',
    );
    expect(createTaskCalls(bed.sim).filter((call) => call.requestId === submitted.id)).toHaveLength(
      1,
    );
    expect(await creditsUsed(bed, alice)).toBe(2);
  });

  it('an edit of a private result stays private', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const kite = await result(alice, { private: true });
    const pressed = await bed.fake.clickButton(kite.message, `edit:${kite.id}`, { user: alice });
    await pressed.waitForModal();
    const submitted = await bed.fake.submitModal(pressed, { prompt: 'add a moon' });
    const edited = await submitted.waitForResponse(showsImage, 'the edited result');
    expect(edited.revisions.every((revision) => revision.flags & MessageFlag.Ephemeral)).toBe(true);
    imageToImageTask(submitted, kite);
  });
});

describe('Vary and Upscale', () => {
  it('Vary: one task from the result with its prompt and size, keyed by the click', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const kite = await result(alice);
    const click = await bed.fake.clickButton(kite.message, `vary:${kite.id}`, { user: alice });
    const varied = await click.waitForResponse(showsImage, 'the variation');
    expect(imageToImageTask(click, kite)).toMatchObject({
      prompt: 'a paper kite',
      resolution: '1K',
    });
    expect(textOf(current(varied))).toContain('Variation of “a paper kite”');
    expect(await creditsUsed(bed, alice)).toBe(2);
  });

  it('Upscale: 1K to 2K, charged at 2K; at 4K there is no Upscale button', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const kite = await result(alice);
    const click = await bed.fake.clickButton(kite.message, `upscale:${kite.id}`, { user: alice });
    const upscaled = await click.waitForResponse(showsImage, 'the upscale');
    expect(imageToImageTask(click, kite)).toMatchObject({
      prompt: UPSCALE_TO_2K,
      resolution: '2K',
    });
    expect(textOf(current(upscaled))).toContain('Upscaled to 2K from “a paper kite”');
    // 1 for the image, 2 for its upscale to 2K.
    expect(await creditsUsed(bed, alice)).toBe(3);

    const large = await result(alice, { resolution: '4K' });
    expect(componentIds(current(large.message))).toEqual([
      `reroll:${large.id}`,
      `edit:${large.id}`,
      `vary:${large.id}`,
      `share:${large.id}`,
      `delete:${large.id}`,
    ]);
  });
});
