/**
 * "Edit image" in a message's context menu, end to end through the real discord.js: the picker
 * when the message has several images, the form, the task from the picked image, the refusal when
 * there is none, and the API's own failure when it cannot fetch the image.
 */
import { describe, expect, it } from 'vitest';
import {
  createTaskCalls,
  showsFailure,
  showsImage,
  creditsUsed,
  pngUpload,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, MessageFlag, textOf, type FakeMessage } from './fakes/discord/index.js';
import { IMAGE_TO_IMAGE_MODEL_ID, SOURCE_FETCH_FAIL_CODE } from './fakes/image-api/index.js';
import { asRead } from './helpers/discord-markdown.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

const attachmentUrl = (message: FakeMessage, filename: string) =>
  current(message).attachments.find((file) => file.filename === filename)!.url;

describe('Edit image on a message', () => {
  it('with two images: the picker, then the form, then one task from the picked image', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const posted = bed.fake.postUserMessage({
      user: alice,
      content: 'my two drafts',
      files: [pngUpload('left.png', 30), pngUpload('right.png', 220)],
    });

    const command = await bed.fake.runMessageCommand({
      name: 'Edit image',
      message: posted,
      user: alice,
    });
    const picker = await command.waitForText('Which image should be edited?');
    expect(current(picker).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    const select = current(picker).components[0]!.components as Array<{
      custom_id: string;
      options: Array<{ label: string; value: string }>;
    }>;
    expect(select[0]!.options.map((option) => option.label)).toEqual(['left.png', 'right.png']);

    const picked = await bed.fake.selectOptions(picker, select[0]!.custom_id, ['1'], {
      user: alice,
    });
    const form = await picked.waitForModal();
    expect(picked.callbacks.map((callback) => callback.type)).toEqual([9]);
    expect(form.title).toBe('Edit image (1 credit)');

    const submitted = await bed.fake.submitModal(picked, { prompt: 'paint it blue' });
    const edited = await submitted.waitForResponse(showsImage, 'the edited image');
    // An edit of a message's image is answered in the channel, like /imagine.
    expect(current(edited).flags & MessageFlag.Ephemeral).toBe(0);
    const calls = createTaskCalls(bed.sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.requestId).toBe(submitted.id);
    const url = attachmentUrl(posted, 'right.png');
    expect(calls[0]!.body).toMatchObject({
      model: IMAGE_TO_IMAGE_MODEL_ID,
      input: { prompt: 'paint it blue', image_urls: [url], input_urls: [url] },
    });
    expect(textOf(current(edited))).toContain('From right.png');
    expect(await creditsUsed(bed, alice)).toBe(1);
  });

  it('with one image: the form is the command’s first answer', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const bob = bed.fake.user('bob');
    const posted = bed.fake.postUserMessage({ user: alice, files: [pngUpload('cat.png', 100)] });
    // Anyone may edit an image they can see; it is charged to them.
    const command = await bed.fake.runMessageCommand({
      name: 'Edit image',
      message: posted,
      user: bob,
    });
    await command.waitForModal();
    expect(command.callbacks.map((callback) => callback.type)).toEqual([9]);
    const submitted = await bed.fake.submitModal(command, { prompt: 'give it a hat' });
    await submitted.waitForResponse(showsImage, 'the edited image');
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([submitted.id]);
    expect(await creditsUsed(bed, bob)).toBe(1);
  });

  it('a message without an image is refused privately, and nothing starts', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const posted = bed.fake.postUserMessage({
      user: alice,
      content: 'just words',
      files: [{ filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('hi') }],
    });
    const command = await bed.fake.runMessageCommand({
      name: 'Edit image',
      message: posted,
      user: alice,
    });
    const notice = await command.waitForText(
      'That message has no image to edit. Use "Edit image" on a message with a PNG, JPEG or WEBP image.',
    );
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(command.interaction.modal).toBeUndefined();
    expect(createTaskCalls(bed.sim)).toHaveLength(0);
    expect(await creditsUsed(bed, alice)).toBe(0);
  });

  it('when the API cannot fetch the image, its failMsg is shown and the credits come back', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const posted = bed.fake.postUserMessage({ user: alice, files: [pngUpload('gone.png', 50)] });
    const command = await bed.fake.runMessageCommand({
      name: 'Edit image',
      message: posted,
      user: alice,
    });
    await command.waitForModal();
    // The bot checks the image when the form is sent; right after, its author deletes the message.
    bed.fake.deleteAfterFetches(posted, 1);
    const submitted = await bed.fake.submitModal(command, { prompt: 'sharpen it' });
    const failed = await submitted.waitForResponse(showsFailure, 'the failure');
    const url = attachmentUrl(posted, 'gone.png');
    const text = asRead(textOf(current(failed)));
    expect(text).toContain(`Failed to fetch the source image ${url}: HTTP 404`);
    expect(text).toContain(`(code ${SOURCE_FETCH_FAIL_CODE})`);
    expect(text).toContain('credits were refunded');
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
    expect(await creditsUsed(bed, alice)).toBe(0);
  });
});
