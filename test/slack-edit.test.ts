import { afterEach, describe, expect, it } from 'vitest';
import { encodePng, IMAGE_TO_IMAGE_MODEL_ID, type SimulatedTask } from './fakes/image-api/index.js';
import { startSourceHost, type SourceHost } from './fakes/image-api/source-host.js';
import { mentionsIn, type FakeFile, type FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  BOB,
  GENERAL,
  startSlackHarness,
  until,
  type SlackHarness,
  type SlackHarnessOptions,
} from './fakes/slack/harness.js';

/**
 * Image-to-image from Slack, end to end through the real Bolt app: people's own files (the
 * generate modal's file input, the "Edit image" message shortcut) and the Edit, Vary and Upscale
 * buttons on a result, against the fake Slack and the simulated image API.
 */

const DAILY = 50;
let h: SlackHarness | undefined;
let host: SourceHost | undefined;

afterEach(async () => {
  const harness = h;
  h = undefined;
  await host?.close();
  host = undefined;
  if (!harness) return;
  await harness.close();
  expect(harness.fake.socket.unacked).toEqual([]);
});

async function start(options: Partial<SlackHarnessOptions> = {}): Promise<SlackHarness> {
  h = await startSlackHarness({ mode: 'socket', taskDurationMs: 100, ...options });
  return h;
}

const png = (red: number) => encodePng(24, 16, (x) => [red, x * 8, 90]);
const words = (message: { text?: string; blocks?: unknown[] } | undefined) =>
  `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
const results = (harness: SlackHarness) =>
  harness.fake.messagesIn(GENERAL).filter((message) => message.files.length > 0);
const resultShowing = (harness: SlackHarness, text: string) =>
  until(
    () => results(harness).find((message) => words(message).includes(text)),
    `a result showing ${text}`,
  );
const notesOf = (harness: SlackHarness, user: string) =>
  harness.fake.ephemeralsFor(user).map(words).join('\n');
const taskOf = (harness: SlackHarness, requestId: string) =>
  until(() => harness.sim.taskFor(requestId), `the task for ${requestId}`);

function upload(harness: SlackHarness, name: string, bytes: Buffer, mimetype = 'image/png') {
  return harness.fake.workspace.addUserFile({ user: ALICE, name, bytes, mimetype });
}

/** Opens the generate modal with `/imagine` alone and sends it with the files in its file input. */
async function imagineWithFiles(
  harness: SlackHarness,
  prompt: string,
  files: FakeFile[],
): Promise<string> {
  const before = harness.fake.workspace.views.length;
  await harness.fake.slashCommand({ text: '', userId: ALICE, channelId: GENERAL });
  const view = await until(
    () =>
      harness.fake.workspace.views
        .slice(before)
        .find((opened) => opened.view.callback_id === 'imagine_generate_modal'),
    'the generate modal',
  );
  const { triggerId } = await harness.fake.submitView({
    userId: ALICE,
    view,
    values: { prompt, images: { files }, channel: { conversation: GENERAL } },
  });
  return triggerId;
}

/** Asks `/imagine <what>` and returns the private answer. */
async function ask(harness: SlackHarness, user: string, what: string): Promise<string> {
  const before = harness.fake.ephemeralsFor(user).length;
  await harness.fake.slashCommand({ text: what, userId: user, channelId: GENERAL });
  const [answer] = await until(
    () =>
      harness.fake.ephemeralsFor(user).length > before &&
      harness.fake.ephemeralsFor(user).slice(before),
    `the answer to ${what}`,
  );
  return words(answer);
}

describe('help and quota', () => {
  it('name the result buttons and say what an edit costs', async () => {
    const harness = await start();
    const help = await ask(harness, ALICE, 'help');
    for (const label of ['*Edit*', '*Vary*', '*Upscale*', 'Edit image'])
      expect(help).toContain(label);
    expect(help).toContain('Credits per new image: 1K 1, 2K 2, 4K 4.');
    const quota = await ask(harness, ALICE, 'quota');
    expect(quota).toContain('Credits per new image: 1K 1, 2K 2, 4K 4.');
    expect(quota).toMatch(/Edit, Vary and Upscale cost/);
  });
});

async function creditsLeft(harness: SlackHarness, user: string): Promise<number> {
  const before = harness.fake.ephemeralsFor(user).length;
  await harness.fake.slashCommand({ text: 'quota', userId: user, channelId: GENERAL });
  const answer = await until(
    () =>
      harness.fake
        .ephemeralsFor(user)
        .slice(before)
        .map(words)
        .join('\n')
        .match(/(\d+) of \d+\* credits left/),
    'the quota answer',
  );
  return Number(answer[1]);
}

/** The task's sources were links the bot signed and served, and the API fetched each one. */
function expectServedByTheBot(harness: SlackHarness, task: SimulatedTask, count: number) {
  expect(task.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
  expect(task.sourceUrls).toHaveLength(count);
  expect(task.input['input_urls']).toEqual(task.input['image_urls']);
  for (const url of task.sourceUrls) {
    expect(url).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:${harness.bot.httpPort}/sources/[^?]+\\?expires=\\d+&sig=`,
      ),
    );
    expect(url).not.toContain('xoxb');
    const fetched = harness.sim.sourceFetches.filter((fetch) => fetch.url === url);
    expect(fetched.map((fetch) => fetch.status)).toEqual([200]);
  }
}

describe('the generate modal with images', () => {
  it('one file: an image-to-image task keyed by the submission, its source served by the bot', async () => {
    const harness = await start();
    const sketch = upload(harness, 'sketch.png', png(200));
    const submission = await imagineWithFiles(harness, 'turn it into a watercolour', [sketch]);
    const task = await taskOf(harness, submission);
    expect(task.input.prompt).toBe('turn it into a watercolour');
    const result = await resultShowing(harness, 'From sketch.png');
    expectServedByTheBot(harness, task, 1);
    // The file was read from Slack with the bot token, and nothing read it without.
    expect(harness.fake.fileDownloads).toContainEqual({ fileId: sketch.id, authorized: true });
    expect(harness.fake.fileDownloads.filter((d) => !d.authorized)).toEqual([]);
    expect(words(result)).toContain('turn it into a watercolour');
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY - 1);
  });

  it('three files: all three are sources, in order', async () => {
    const harness = await start();
    const files = [
      upload(harness, 'a.png', png(10)),
      upload(harness, 'b.jpg', Buffer.from(jpegBytes()), 'image/jpeg'),
      upload(harness, '<!channel> c.png', png(250)),
    ];
    const submission = await imagineWithFiles(harness, 'blend these', files);
    const task = await taskOf(harness, submission);
    // A file's name is the uploader's text: shown, but it notifies nobody.
    const result = await resultShowing(harness, 'From a.png, b.jpg, &lt;!channel&gt; c.png');
    expect(mentionsIn(result)).not.toContain('channel');
    expectServedByTheBot(harness, task, 3);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY - 1);
  });

  it('a link that expired before the API fetched it: the task fails with the API reason naming the file, credits back', async () => {
    // Links that lapse the moment they are made: the API always comes too late.
    const harness = await start({ tuning: { sourceLinkLifetimeMs: 0 } });
    const sketch = upload(harness, 'sketch.png', png(120));
    const submission = await imagineWithFiles(harness, 'turn it into a watercolour', [sketch]);
    const failure = await until(
      () =>
        harness.fake
          .messagesIn(GENERAL)
          .map(words)
          .find((text) => text.includes('could not be made from its source image')),
      'the failed edit',
    );
    expect(failure).toContain('Failed to fetch the source image \\"sketch.png\\": HTTP 404');
    expect(failure).not.toContain('/sources/');
    const task = await taskOf(harness, submission);
    expect(harness.sim.sourceFetches.filter((fetch) => fetch.url === task.sourceUrls[0])).toEqual([
      expect.objectContaining({ status: 404 }),
    ]);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY);
  });

  it('a file that is not an image (whatever its name says) is refused before any task or charge', async () => {
    const harness = await start();
    // The file input lets only .png/.jpg/.jpeg/.webp names through; the bytes are another matter.
    const notes = upload(harness, 'notes.png', Buffer.from('just words, renamed'));
    const refused = await imagineWithFiles(harness, 'make this pretty', [notes]);
    await until(
      () => notesOf(harness, ALICE).includes('"notes.png" is not an image'),
      'the not-an-image refusal',
    );
    expect(harness.sim.taskFor(refused)).toBeUndefined();
    expect(harness.sim.tasks.size).toBe(0);
    expect(results(harness)).toEqual([]);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY);
  });

  it('without PUBLIC_URL and with an image API elsewhere, a Slack file is refused and the operator told what to set', async () => {
    // The API is never reached: the refusal comes before any task.
    const harness = await start({ env: { AIGPTIMAGE_BASE_URL: 'https://api.example.invalid' } });
    const sketch = upload(harness, 'sketch.png', png(120));
    await imagineWithFiles(harness, 'make it blue', [sketch]);
    await until(
      () => notesOf(harness, ALICE).includes('its operator has to set PUBLIC_URL'),
      'the not-set-up refusal',
    );
    await imagineWithFiles(harness, 'make it green', [sketch]);
    await until(
      () => notesOf(harness, ALICE).split('its operator has to set PUBLIC_URL').length === 3,
      'the second refusal',
    );
    const warnings = harness.logs.filter((line) => line.includes('PUBLIC_URL is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('set PUBLIC_URL to the https address');
    expect(warnings[0]).not.toContain('"stack"');
    expect(harness.sim.tasks.size).toBe(0);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY);
  });
});

describe('/imagine --image', () => {
  it('a link on a host the operator trusts is passed as it is; an http link elsewhere is refused', async () => {
    host = await startSourceHost();
    const link = host.put('/cat.png', { body: png(60) });
    const harness = await start({
      env: { FETCH_ALLOW_HOSTS: new URL(host.origin).host },
    });
    const { triggerId } = await harness.fake.slashCommand({
      text: `give the cat a hat --image ${link}`,
      userId: ALICE,
      channelId: GENERAL,
    });
    const task = await taskOf(harness, triggerId);
    expect(task.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(task.input['image_urls']).toEqual([link]);
    // A public source is linked from the result, for anyone to open.
    const result = await resultShowing(harness, 'give the cat a hat');
    expect(words(result)).toContain(`From cat.png · <${link}|cat.png>`);

    const refused = await harness.fake.slashCommand({
      text: 'give the dog a hat --image http://example.com/x.png',
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(
      () => notesOf(harness, ALICE).includes('does not start with https://'),
      'the not-https refusal',
    );
    const four = [1, 2, 3, 4].map((n) => host!.put(`/p${n}.png`, { body: png(n * 40) }));
    const tooMany = await harness.fake.slashCommand({
      text: `all of them ${four.map((url) => `--image ${url}`).join(' ')}`,
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(
      () =>
        notesOf(harness, ALICE).includes('You gave 4 images, but an edit can start from at most 3'),
      'the too-many refusal',
    );
    expect(harness.sim.taskFor(refused.triggerId)).toBeUndefined();
    expect(harness.sim.taskFor(tooMany.triggerId)).toBeUndefined();
    // Nothing was fetched for the refused ones.
    expect(host.fetched.filter((path) => /^\/p\d/.test(path))).toEqual([]);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY - 1);
  });
});

describe('Edit, Vary and Upscale on a result', () => {
  async function firstResult(harness: SlackHarness, prompt: string, flags = '') {
    const { triggerId } = await harness.fake.slashCommand({
      text: `${prompt} ${flags}`,
      userId: ALICE,
      channelId: GENERAL,
    });
    const message = await resultShowing(harness, prompt);
    const task = await taskOf(harness, triggerId);
    return { message, url: harness.sim.resultUrlOf(task) };
  }

  const labels = (message: FakeMessage) =>
    [
      ...words(message).matchAll(
        /"type":"button","action_id":"[a-z_]+","text":\{"type":"plain_text","text":"([^"]+)"/g,
      ),
    ].map((match) => match[1]);

  it('each starts one image-to-image task from the result, keyed by its own interaction', async () => {
    const harness = await start();
    const { message, url } = await firstResult(harness, 'a kite over dunes');
    expect(labels(message)).toEqual(['Reroll', 'Edit', 'Vary', 'Upscale', 'Share', 'Delete']);

    const vary = await harness.fake.clickButton({
      userId: ALICE,
      message,
      actionId: 'imagine_vary',
    });
    const varied = await taskOf(harness, vary.triggerId);
    expect(varied.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(varied.input.prompt).toBe('a kite over dunes');
    expect(varied.input['image_urls']).toEqual([url]);
    await resultShowing(harness, 'Variation of “a kite over dunes”');

    // Edit opens a modal (with its cost) on the click's trigger; its submission keys the task.
    const click = await harness.fake.clickButton({
      userId: BOB,
      message,
      actionId: 'imagine_edit',
    });
    const form = await until(
      () => harness.fake.workspace.views.find((view) => view.triggerId === click.triggerId),
      'the edit modal',
    );
    expect(form.view.callback_id).toBe('imagine_edit_modal');
    expect(JSON.stringify(form.view.blocks)).toContain('Costs 1 credit');
    const submitted = await harness.fake.submitView({
      userId: BOB,
      view: form,
      values: { prompt: 'make the kite red' },
    });
    const edited = await taskOf(harness, submitted.triggerId);
    expect(edited.input.prompt).toBe('make the kite red');
    expect(edited.input['image_urls']).toEqual([url]);
    expect(harness.sim.taskFor(click.triggerId)).toBeUndefined();
    const editResult = await resultShowing(harness, 'Edited from “a kite over dunes”');
    expect(words(editResult)).toContain(`requested by <@${BOB}>`);

    const up = await harness.fake.clickButton({
      userId: ALICE,
      message,
      actionId: 'imagine_upscale',
    });
    const upscaled = await taskOf(harness, up.triggerId);
    expect(upscaled.input.resolution).toBe('2K');
    expect(upscaled.input['image_urls']).toEqual([url]);
    await resultShowing(harness, 'Upscaled to 2K from “a kite over dunes”');

    // Alice: the image (1), its variation (1), its upscale to 2K (2). Bob: his edit (1).
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY - 4);
    expect(await creditsLeft(harness, BOB)).toBe(DAILY - 1);
    // History shows the chain: what each one was made from.
    const history = await ask(harness, ALICE, 'history');
    expect(history).toContain('(Variation of “a kite over dunes”)');
    expect(history).toContain('(Upscaled to 2K from “a kite over dunes”)');
    expect(await ask(harness, BOB, 'history')).toContain('(Edited from “a kite over dunes”)');
  });

  it('Vary and Edit of a private result stay private: in the DM, nothing in the channel', async () => {
    const harness = await start();
    await harness.fake.slashCommand({
      text: 'a secret garden --private',
      userId: ALICE,
      channelId: GENERAL,
    });
    const note = await until(
      () => harness.fake.ephemeralsFor(ALICE).find((e) => words(e).includes('imagine_vary')),
      'the private note',
    );
    const inDm = (text: string) =>
      until(
        () =>
          harness.fake
            .messagesIn(`D${ALICE.slice(1)}`)
            .find((message) => message.files.length > 0 && words(message).includes(text)),
        `${text} in the DM`,
      );
    await harness.fake.clickButton({ userId: ALICE, ephemeral: note, actionId: 'imagine_vary' });
    await inDm('Variation of “a secret garden”');
    const click = await harness.fake.clickButton({
      userId: ALICE,
      ephemeral: note,
      actionId: 'imagine_edit',
    });
    const form = await until(
      () => harness.fake.workspace.views.find((view) => view.triggerId === click.triggerId),
      'the edit modal',
    );
    await harness.fake.submitView({ userId: ALICE, view: form, values: { prompt: 'add a fox' } });
    await inDm('Edited from “a secret garden”');
    expect(results(harness)).toEqual([]);
  });

  it('a 4K result has no Upscale button', async () => {
    const harness = await start();
    const { message } = await firstResult(harness, 'a wide valley', '--res 4K');
    expect(labels(message)).toEqual(['Reroll', 'Edit', 'Vary', 'Share', 'Delete']);
  });
});

describe('the "Edit image" message shortcut', () => {
  it('two images: the picker asks which, the modal takes the change, the task starts from that one', async () => {
    const harness = await start();
    const cat = upload(harness, 'cat.png', png(30));
    const dog = upload(harness, 'dog.png', png(220));
    const posted = harness.fake.workspace.addUserMessage({
      channel: GENERAL,
      user: ALICE,
      text: 'my pets',
      files: [cat, dog],
    });
    const shortcut = await harness.fake.messageShortcut({
      userId: ALICE,
      callbackId: 'imagine_edit_image',
      message: posted,
    });
    const picker = await until(
      () => harness.fake.workspace.views.find((view) => view.triggerId === shortcut.triggerId),
      'the picker',
    );
    expect(picker.view.callback_id).toBe('imagine_pick_source_modal');
    expect(JSON.stringify(picker.view.blocks)).toContain('dog.png');
    await harness.fake.clickInView({
      userId: ALICE,
      view: picker,
      actionId: 'imagine_pick_source',
      blockId: 'pick_1',
    });
    // The picker turns into the edit modal (views.update: the same modal, new contents).
    await until(() => picker.view.callback_id === 'imagine_edit_modal', 'the edit modal');
    expect(JSON.stringify(picker.view.blocks)).toContain('dog.png');
    const submitted = await harness.fake.submitView({
      userId: ALICE,
      view: picker,
      values: { prompt: 'give the dog sunglasses' },
    });
    const task = await taskOf(harness, submitted.triggerId);
    expect(task.input.prompt).toBe('give the dog sunglasses');
    await resultShowing(harness, 'From dog.png');
    expectServedByTheBot(harness, task, 1);
    expect(harness.fake.fileDownloads).toContainEqual({ fileId: dog.id, authorized: true });
    expect(harness.fake.fileDownloads.map((d) => d.fileId)).not.toContain(cat.id);
    expect(await creditsLeft(harness, ALICE)).toBe(DAILY - 1);
  });

  it('one image (HTTP mode): the edit modal opens at once; its submission starts the task', async () => {
    const harness = await start({ mode: 'http' });
    const photo = upload(harness, 'beach.webp', webpBytes(), 'image/webp');
    const readme = upload(harness, 'readme.txt', Buffer.from('hello'), 'text/plain');
    const posted = harness.fake.workspace.addUserMessage({
      channel: GENERAL,
      user: BOB,
      files: [readme, photo],
    });
    const shortcut = await harness.fake.messageShortcut({
      userId: ALICE,
      callbackId: 'imagine_edit_image',
      message: posted,
    });
    const form = await until(
      () => harness.fake.workspace.views.find((view) => view.triggerId === shortcut.triggerId),
      'the edit modal',
    );
    expect(form.view.callback_id).toBe('imagine_edit_modal');
    expect(JSON.stringify(form.view.blocks)).toContain('beach.webp');
    const submitted = await harness.fake.submitView({
      userId: ALICE,
      view: form,
      values: { prompt: 'add a sunset' },
    });
    const task = await taskOf(harness, submitted.triggerId);
    await resultShowing(harness, 'From beach.webp');
    expectServedByTheBot(harness, task, 1);
    expect(harness.fake.fileDownloads.map((d) => d.fileId)).toEqual([photo.id]);
  });

  it('a message without an image is answered privately, with nothing started', async () => {
    const harness = await start();
    const posted = harness.fake.workspace.addUserMessage({
      channel: GENERAL,
      user: ALICE,
      text: 'no pictures here',
    });
    await harness.fake.messageShortcut({
      userId: ALICE,
      callbackId: 'imagine_edit_image',
      message: posted,
    });
    await until(
      () => notesOf(harness, ALICE).includes('That message has no image to edit'),
      'the no-image answer',
    );
    expect(harness.fake.workspace.views).toEqual([]);
    expect(harness.sim.tasks.size).toBe(0);
  });
});

/** A WEBP header (RIFF…WEBP) and a few bytes: what the sniffers know a WEBP by. */
function webpBytes(): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(24, 4);
  bytes.write('WEBPVP8 ', 8, 'latin1');
  return bytes;
}

/** The smallest JPEG the sniffers accept: its start-of-image marker and some bytes. */
function jpegBytes(): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
  ]);
}
