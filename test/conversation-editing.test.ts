/**
 * The conversation's editing steps on a bare test platform: the real core against the fake image
 * API, the real source preparer, and an Answer that records what a platform would have shown. The
 * per-platform look is the contract suite's and each platform's own tests; here, what the
 * conversation decides (what is refused, what a draft keeps, what a Reroll of an edit reuses).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../src/conversation/conversation.js';
import type { Answer, EditForm, PendingGeneration } from '../src/conversation/answer.js';
import type { Intent, Interaction, SourceInput } from '../src/conversation/interaction.js';
import type { ConversationView } from '../src/conversation/views.js';
import { parseGenerationText } from '../src/core/option-text.js';
import { ImageFetcher } from '../src/core/images.js';
import { silentLogger } from '../src/core/logger.js';
import { encodePng } from '../src/simulator/png.js';
import { createEditingSupport } from '../src/sources/index.js';
import { createOperatorControls } from '../src/conversation/operator-controls.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { eventually, startTestCore, TEST_KEY, type TestCore } from './helpers/core.js';

describe('--image in the text form', () => {
  it('takes each link, in the order typed, and keeps them out of the prompt', () => {
    expect(
      parseGenerationText(
        'make it night --image https://a.example/fox.png --res 2K --image=https://b.example/x.jpg?s=1',
      ),
    ).toEqual({
      prompt: 'make it night',
      options: { resolution: '2K', private: false },
      images: ['https://a.example/fox.png', 'https://b.example/x.jpg?s=1'],
    });
  });

  it('reads a link as Slack escapes it in command text', () => {
    const { images } = parseGenerationText(
      'a fox --image <https://a.example/f.png?w=1&amp;h=2> --image <https://b.example/g.png|g.png>',
    );
    expect(images).toEqual(['https://a.example/f.png?w=1&h=2', 'https://b.example/g.png']);
  });

  it('says nothing of images when none were given', () => {
    expect(parseGenerationText('a red fox')).not.toHaveProperty('images');
  });

  it('asks for the link when --image has none', () => {
    expect(() => parseGenerationText('a fox --image')).toThrow(
      /^--image needs a value: one of https:\/\/… \(a link to a PNG, JPEG or WEBP image\)\.$/,
    );
  });
});

/** What the test platform showed for one interaction. */
interface Shown {
  placed: PendingGeneration[];
  forms: EditForm[];
  picks: Array<{ draft: string; images: SourceInput[] }>;
  views: ConversationView[];
}

describe('editing, through the conversation', () => {
  let sim: ImageApiSimulator;
  let core: TestCore;
  let conversation: Conversation;
  let files: Server;
  let filesUrl: string;
  let serial = 0;

  beforeAll(async () => {
    sim = await startImageApiSimulator({ taskDurationMs: 30 });
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 10 });
    const png = encodePng(24, 16, () => [10, 200, 90]);
    files = createServer((request, response) => {
      if (request.url === '/gone.png') {
        response.writeHead(404).end();
      } else if (request.url?.endsWith('.png')) {
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        response.end(png);
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('not a picture');
      }
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    const fetcher = new ImageFetcher({
      apiBaseUrl: sim.url,
      allowHosts: [new URL(filesUrl).host],
    });
    const editing = createEditingSupport({
      store: core.store,
      fetcher,
      baseUrl: () => undefined,
      apiKey: TEST_KEY,
      logger: silentLogger,
    });
    conversation = new Conversation({
      service: core.service,
      logger: silentLogger,
      profile: { platform: 'test' },
      editing,
      controls: createOperatorControls({
        store: core.store,
        logger: silentLogger,
        retentionDays: 1,
        defaultBudget: {},
      }),
    });
  });

  afterAll(async () => {
    await core?.close();
    await sim?.close();
    await new Promise((resolve) => files?.close(resolve));
  });

  /** One person's interaction on the test platform, answered into `shown`. */
  async function act(who: string, intent: Intent, id = `edit-${process.pid}-${++serial}`) {
    const shown: Shown = { placed: [], forms: [], picks: [], views: [] };
    const answer: Answer = {
      privately: async (view) => void shown.views.push(view),
      placeStatus: async (generation) => {
        shown.placed.push(generation);
        return { target: { platform: 'test' }, withdraw: async () => undefined };
      },
      openEditForm: async (form) => void shown.forms.push(form),
      pickSource: async (draft, images) => void shown.picks.push({ draft, images }),
    };
    const interaction: Interaction = {
      id,
      actor: {
        key: `test:${who}`,
        id: who,
        displayName: who,
        mayModerate: async () => false,
        mayAdminister: async () => false,
        mayPostIn: async () => true,
      },
      place: { platform: 'test', channelId: 'C1', direct: false },
      intent,
      answer,
    };
    await conversation.handle(interaction);
    return { id, ...shown };
  }

  /** The codes of the refusals shown to the actor. */
  const refusals = (shown: Shown) =>
    shown.views.flatMap((view) => (view.kind === 'notice' ? [view.code] : []));

  async function finished(requestId: string) {
    const view = await core.delivery.waitForFinal(requestId);
    expect(view.kind).toBe('done');
    // Shown first, then recorded as done: read it as a later click would.
    return eventually(async () => {
      const job = await core.service.findJob(requestId);
      return job?.state === 'done' ? job : undefined;
    });
  }

  async function imageOf(who: string, resolution = '1K') {
    const prompt = `a lighthouse ${++serial}`;
    const sent = await act(who, { kind: 'imagine', input: { prompt, resolution } });
    return finished(sent.id);
  }

  const creditsOf = async (who: string) => (await core.service.status(`test:${who}`)).remaining;

  it('Upscale at 4K is refused with nothing shown or sent', async () => {
    const parent = await imageOf('ada', '4K');
    const tasksBefore = sim.tasks.size;
    const click = await act('ada', { kind: 'upscale', of: parent.requestId });
    expect(refusals(click)).toEqual(['already_largest']);
    expect(click.placed).toEqual([]);
    expect(sim.tasks.size).toBe(tasksBefore);
  });

  it('Edit opens the form with the cost of the result’s size; the form sent starts the edit at that size', async () => {
    const parent = await imageOf('bea', '2K');
    const click = await act('bea', { kind: 'edit', of: parent.requestId });
    expect(click.forms).toEqual([{ kind: 'result', of: parent.requestId, job: parent, cost: 2 }]);
    expect(click.placed).toEqual([]);

    const form = await act('bea', { kind: 'edit', of: parent.requestId, prompt: 'add a moon' });
    const job = await finished(form.id);
    const resultUrl = sim.resultUrlOf(sim.taskFor(parent.requestId)!);
    expect(job).toMatchObject({
      prompt: 'add a moon',
      options: { resolution: '2K' },
      cost: 2,
      sources: [{ url: resultUrl }],
      derivedFrom: { kind: 'edit', parentId: parent.requestId, parentPrompt: parent.prompt },
    });
    expect(form.placed[0]).toMatchObject({ sources: job.sources, derivedFrom: job.derivedFrom });
    expect(await creditsOf('bea')).toBe(10 - 2 - 2);
  });

  it('Vary of a private result stays private', async () => {
    const prompt = `a quiet harbour ${++serial}`;
    const sent = await act('cy', { kind: 'imagine', input: { prompt, private: true } });
    const parent = await finished(sent.id);
    const click = await act('cy', { kind: 'vary', of: parent.requestId });
    const job = await finished(click.id);
    expect(job.options.private).toBe(true);
    expect(job.prompt).toBe(prompt);
  });

  it('Edit, Vary and Upscale of an image that is not finished are refused', async () => {
    const sent = await act('dee', {
      kind: 'imagine',
      input: { prompt: `a storm [fail] ${++serial}` },
    });
    await core.delivery.waitForFinal(sent.id);
    for (const kind of ['vary', 'upscale'] as const) {
      const click = await act('dee', { kind, of: sent.id });
      expect(refusals(click)).toEqual(['nothing_to_edit']);
    }
    const edit = await act('dee', { kind: 'edit', of: sent.id });
    expect(refusals(edit)).toEqual(['nothing_to_edit']);
    expect(edit.forms).toEqual([]);
  });

  it('Vary of a result whose image the API no longer serves says so, and starts nothing', async () => {
    sim.setResultUrl(() => `${filesUrl}/gone.png`);
    const parent = await imageOf('fin').finally(() => sim.setResultUrl(undefined));
    const click = await act('fin', { kind: 'vary', of: parent.requestId });
    expect(refusals(click)).toEqual(['result_image_gone']);
    expect(click.placed).toEqual([]);
    expect(sim.taskFor(click.id)).toBeUndefined();
  });

  it('Vary and Upscale of an upscale go by the picture’s own prompt, not the instruction to enlarge', async () => {
    const original = await imageOf('gil');
    const upscaled = await finished(
      (await act('gil', { kind: 'upscale', of: original.requestId })).id,
    );
    expect(upscaled.prompt).toMatch(/^Upscale this image to 2K\./);
    const varied = await finished((await act('gil', { kind: 'vary', of: upscaled.requestId })).id);
    expect(varied.prompt).toBe(original.prompt);
    expect(varied.options.resolution).toBe('2K');
    expect(varied.derivedFrom).toEqual({
      kind: 'vary',
      parentId: upscaled.requestId,
      parentPrompt: original.prompt,
    });
    const again = await finished(
      (await act('gil', { kind: 'upscale', of: upscaled.requestId })).id,
    );
    expect(again.prompt).toMatch(/^Upscale this image to 4K\./);
    expect(again.derivedFrom?.parentPrompt).toBe(original.prompt);
  });

  it('Reroll of a variation reuses its sources and derivation', async () => {
    const parent = await imageOf('eve');
    const varied = await finished((await act('eve', { kind: 'vary', of: parent.requestId })).id);
    const reroll = await act('eve', { kind: 'reroll', of: varied.requestId });
    const again = await finished(reroll.id);
    expect(again.sources).toEqual(varied.sources);
    expect(again.derivedFrom).toEqual(varied.derivedFrom);
    expect(sim.taskFor(reroll.id)!.input['image_urls']).toEqual(
      sim.taskFor(varied.requestId)!.input['image_urls'],
    );
  });

  it('Edit image: the images of a message, picked, then the form; only its starter may finish it', async () => {
    const message: SourceInput[] = [
      { url: `${filesUrl}/notes.txt`, name: 'notes.txt', contentType: 'text/plain' },
      { url: `${filesUrl}/first.png`, name: 'first.png', contentType: 'image/png' },
      { url: `${filesUrl}/second.png`, name: 'second.png' },
    ];
    const menu = await act('fay', { kind: 'edit-image', files: message });
    expect(menu.picks).toEqual([{ draft: menu.id, images: message.slice(1) }]);

    const stranger = await act('gus', { kind: 'edit-draft', draft: menu.id, choice: 1 });
    expect(refusals(stranger)).toEqual(['not_your_edit']);

    const pick = await act('fay', { kind: 'edit-draft', draft: menu.id, choice: 1 });
    expect(pick.forms).toEqual([{ kind: 'draft', draft: menu.id, image: message[2], cost: 1 }]);

    const form = await act('fay', { kind: 'edit-draft', draft: menu.id, prompt: 'in autumn' });
    const job = await finished(form.id);
    expect(job.sources).toEqual([
      { url: `${filesUrl}/second.png`, name: 'second.png', previewUrl: `${filesUrl}/second.png` },
    ]);
    expect(job.derivedFrom).toBeUndefined();
    expect(sim.taskFor(form.id)!.input['image_urls']).toEqual([`${filesUrl}/second.png`]);
  });

  it('Edit image on a message with one image opens the form at once; with none it is refused', async () => {
    const one = await act('hal', {
      kind: 'edit-image',
      files: [{ url: `${filesUrl}/only.png`, name: 'only.png', contentType: 'image/png' }],
    });
    expect(one.forms).toMatchObject([{ kind: 'draft', draft: one.id, cost: 1 }]);
    expect(one.picks).toEqual([]);

    const none = await act('hal', {
      kind: 'edit-image',
      files: [{ url: `${filesUrl}/a.pdf`, name: 'a.pdf', contentType: 'application/pdf' }],
    });
    expect(refusals(none)).toEqual(['no_image_on_message']);
    const gone = await act('hal', { kind: 'edit-draft', draft: 'never-made', prompt: 'x' });
    expect(refusals(gone)).toEqual(['edit_draft_expired']);
  });

  it('a refused source leaves no status, no task and no charge', async () => {
    const tasksBefore = sim.tasks.size;
    const sent = await act('ida', {
      kind: 'imagine',
      input: { prompt: 'paint over it' },
      sources: [{ url: `${filesUrl}/notes.txt`, name: 'notes.txt' }],
    });
    expect(refusals(sent)).toEqual(['source_not_image']);
    expect(sent.placed).toEqual([]);
    expect(sim.tasks.size).toBe(tasksBefore);
    expect(await creditsOf('ida')).toBe(10);
  });

  it('typed text with --image starts from those images, in order', async () => {
    const urls = [`${filesUrl}/one.png`, `${filesUrl}/two.png`];
    const sent = await act('jo', {
      kind: 'command-text',
      text: `/imagine make them one --image ${urls[0]} --image ${urls[1]}`,
      afterCommand: false,
    });
    await finished(sent.id);
    const task = sim.taskFor(sent.id)!;
    expect(task.model).toBe('gpt-image-2-image-to-image');
    expect(task.input.prompt).toBe('make them one');
    expect(task.input['image_urls']).toEqual(urls);
  });
});
