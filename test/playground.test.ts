import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { readPngSize } from '../src/simulator/png.js';
import type { JobCard } from '../src/platforms/playground/room.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';

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

async function open(viewer = 'ada'): Promise<PlaygroundApiClient> {
  harness ??= await startPlayground();
  const client = await PlaygroundApiClient.open(harness.url, viewer);
  clients.push(client);
  return client;
}

/** fetch() will not send another Host header; node:http will. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const cardOf = (client: PlaygroundApiClient, state: JobCard['state'], channel = 'general') =>
  client.until(
    () =>
      client
        .jobs(channel)
        .map((message) => ({ message, card: message.body as JobCard }))
        .find(({ card }) => card.state === state),
    `a ${state} card in #${channel}`,
  );

describe('playground: /imagine end to end over the same core as Discord and Slack', () => {
  it('shows the status card at once, then the image with its prompt, options and buttons', async () => {
    const ada = await open('ada');
    const seen: string[] = [];
    const response = await ada.command('/imagine a red fox --ar 16:9 --res 2K');
    expect(response.status).toBe(202);
    const queued = await ada.until(() => ada.jobs()[0], 'the status card');
    seen.push((queued.body as JobCard).state);
    const { message, card } = await cardOf(ada, 'done');

    expect(seen[0]).toMatch(/queued|generating/);
    expect(message.id).toBe(queued.id); // edited in place, not a second message
    expect(card).toMatchObject({
      prompt: 'a red fox',
      options: '16:9 · 2K',
      requestedBy: 'Ada',
      simulated: true,
    });
    expect(card.status).toMatch(/^Done in \d+ s$/);
    expect(card.image?.alt).toBe('Simulated placeholder image for the prompt: a red fox');
    // Issue 12: Edit, Vary and Upscale join the buttons, in RESULT_ACTIONS order.
    expect(card.actions.map((action) => action.label)).toEqual([
      'Reroll',
      'Edit',
      'Vary',
      'Upscale',
      'Share to #showcase',
      'Delete',
    ]);

    // The image is served by the playground itself, as a platform hosts an upload.
    const image = await fetch(new URL(card.image!.url, harness!.url));
    expect(image.headers.get('content-type')).toBe('image/png');
    const size = readPngSize(new Uint8Array(await image.arrayBuffer()));
    expect(size!.width / size!.height).toBeCloseTo(16 / 9, 1);
  });

  it('a prompt the API refuses ends in its failMsg, with the credits refunded', async () => {
    const ada = await open('ada');
    await ada.command('/imagine a fox [fail]');
    const { card } = await cardOf(ada, 'failed');
    expect(card.status).toBe(
      "The image could not be generated: Sorry, but the image we created may violate OpenAI's content policies. (code 400). Your credits were refunded; try rewording the prompt.",
    );
    expect(card.actions.map((action) => action.label)).toEqual(['Try again', 'Delete']);
    await ada.command('/quota');
    const quota = await ada.until(() => ada.notices()[0], 'the quota reply');
    expect(quota).toMatch(/^You have 20 of 20 credits left today\. They reset in /);
  });

  it('running out of credits shows the catalogued message to that person only', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    await ben.command('/imagine a lighthouse --res 2K');
    await cardOf(ben, 'done');
    await ben.command('/imagine another lighthouse --res 2K');
    const refusal = await ben.until(() => ben.notices()[0], 'the refusal');
    expect(refusal).toMatch(
      /^This image costs 2 credits and you have 1 left today\. Your credits reset in .* a lower resolution costs less\.$/,
    );
    // No card was left behind for the refused request, and nobody else saw the refusal.
    expect(ben.jobs()).toHaveLength(1);
    expect(ada.notices()).toEqual([]);
    expect(ada.jobs()).toHaveLength(1);
  });

  it('/quota, /history and /imagine help answer privately', async () => {
    const ada = await open('ada');
    const mo = await open('mo');
    await ada.command('/imagine a teapot');
    await cardOf(ada, 'done');
    await ada.command('/history');
    await ada.until(() => ada.notices().length === 1, 'the history');
    await ada.command('/imagine quota');
    await ada.until(() => ada.notices().length === 2, 'the quota');
    await ada.command('/imagine help');
    await ada.until(() => ada.notices().length === 3, 'the help');
    const [history, quota, help] = ada.notices();
    expect(history).toMatch(/^Your recent generations:\n.* UTC · "a teapot" · 1K · done$/);
    expect(quota).toMatch(/^You have 19 of 20 credits left today\./);
    expect(help).toContain('`/imagine <prompt> [--ar … --res … --quality … --format … --private]`');
    expect(help).toContain('a prompt containing `[fail]` fails');
    expect(mo.notices()).toEqual([]);
  });

  it('Reroll adds a new result charged to whoever clicked', async () => {
    const ada = await open('ada');
    const mo = await open('mo');
    await ada.command('/imagine a paper boat --ar 1:1');
    const first = await cardOf(mo, 'done');
    await mo.click(first.message.id, 'reroll');
    const second = await mo.until(
      () =>
        mo
          .jobs()
          .map((message) => message.body as JobCard)
          .find((card) => card.requestedBy === 'Mo' && card.state === 'done'),
      'the rerolled result',
    );
    expect(second).toMatchObject({ prompt: 'a paper boat', options: '1:1 · 1K' });
    expect(second.requestId).not.toBe((first.message.body as JobCard).requestId);
    expect(ada.jobs()).toHaveLength(2);
  });

  it('Delete: another member is refused, the requester and a moderator may', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    const mo = await open('mo');
    await ada.command('/imagine one');
    await ada.command('/imagine two');
    await ada.until(
      () => ada.jobs().filter((m) => (m.body as JobCard).state === 'done').length === 2,
      'two results',
    );
    const [one, two] = ada.jobs();
    await ben.click(one!.id, 'delete');
    expect(await ben.until(() => ben.notices()[0], 'the refusal')).toBe(
      'Only the person who asked for this image (or shared this copy), or a moderator, can delete it.',
    );
    expect(ada.jobs()).toHaveLength(2);
    await ada.click(one!.id, 'delete');
    await mo.click(two!.id, 'delete');
    await ada.until(() => ada.jobs().length === 0, 'both deleted');
    await ben.until(() => ben.jobs().length === 0, 'gone for everyone');
  });

  it('Share posts a copy in the other channel saying who shared it', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    await ada.command('/imagine a kite');
    const { message } = await cardOf(ada, 'done');
    await ben.click(message.id, 'share', 'showcase');
    const { card } = await cardOf(ada, 'done', 'showcase');
    expect(card).toMatchObject({ prompt: 'a kite', sharedBy: 'Ben', requestedBy: 'Ada' });
    expect(card.actions.map((action) => action.label)).toEqual(['Reroll', 'Delete']);
    expect(ada.jobs('general')).toHaveLength(1);
    // The sharer may take the copy down again.
    const copy = ben.jobs('showcase')[0]!;
    await ben.click(copy.id, 'delete');
    await ada.until(() => ada.jobs('showcase').length === 0, 'the copy deleted');
  });

  it('"help", "quota" and "history" are subcommands only when alone', async () => {
    const ada = await open('ada');
    await ada.command('/imagine history of Rome');
    const { card } = await cardOf(ada, 'done');
    expect(card.prompt).toBe('history of Rome');
    expect(ada.notices()).toEqual([]);
  });

  it('--private: only the requester sees the card', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    await ada.command('/imagine a secret garden --private');
    await cardOf(ada, 'done');
    expect(ben.jobs()).toEqual([]);
  });

  it('an empty message says what to type instead of quoting nothing back', async () => {
    const ada = await open('ada');
    await ada.command('   ');
    await ada.until(() => ada.notices().length === 1, 'the empty-message hint');
    expect(ada.notices()).toEqual([
      'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
    ]);
    expect(ada.jobs()).toEqual([]);
  });

  it('names a mistyped option or command, with what to do instead', async () => {
    const ada = await open('ada');
    await ada.command('/imagine a fox --ar 5:3');
    await ada.until(() => ada.notices().length === 1, 'the option error');
    await ada.command('hello there');
    await ada.until(() => ada.notices().length === 2, 'the command hint');
    expect(ada.notices()).toEqual([
      '"5:3" is not a valid aspect ratio. Use one of: auto, 1:1, 4:5, 3:4, 2:3, 16:9, 9:16, 21:9.',
      '"hello" is not a command here. Type `/imagine` and a prompt (e.g. `/imagine a red fox`), or `/imagine help` to see everything.',
    ]);
    expect(ada.jobs()).toEqual([]);
  });

  it('past the API’s limit of tasks in flight, a card shows its place in line, then its image', async () => {
    harness = await startPlayground({ taskMs: 1_500 });
    const ada = await open('ada');
    const mo = await open('mo');
    await ada.command('/imagine one');
    await ada.command('/imagine two');
    await mo.command('/imagine three');
    await ada.until(() => ada.jobs().length === 3, 'three cards');
    await mo.command('/imagine four');
    const fourth = () =>
      mo
        .jobs()
        .map((message) => message.body as JobCard)
        .find((card) => card.prompt === 'four');
    await mo.until(() => fourth()?.status === 'Queued: position 1 in line', 'the place in line');
    await mo.until(() => fourth()?.state === 'done', 'the queued job to finish');
  });

  it('the same send twice makes one card and one charge', async () => {
    const ada = await open('ada');
    const id = clientId();
    await Promise.all([
      ada.command('/imagine twice', 'general', id),
      ada.command('/imagine twice', 'general', id),
    ]);
    await cardOf(ada, 'done');
    await ada.command('/quota');
    expect(await ada.until(() => ada.notices()[0], 'the quota')).toMatch(/^You have 19 of 20/);
    expect(ada.jobs()).toHaveLength(1);
  });

  it('a button on a card the clicker cannot see is refused, and nothing happens to the card', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    await ada.command('/imagine a secret garden --private');
    const { message } = await cardOf(ada, 'done');
    await ben.click(message.id, 'delete');
    expect(await ben.until(() => ben.notices()[0], 'the refusal')).toBe(
      'I no longer have the details of that image, so I cannot do that. Start a new one with `/imagine`.',
    );
    expect(ada.jobs()).toHaveLength(1);
    expect(ada.notices()).toEqual([]);
  });

  it('the moderator sets a member’s daily credits; a member may not', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    const mo = await open('mo');
    await ben.command('/imagine admin credits @ada 2');
    expect(await ben.until(() => ben.notices()[0], 'the refusal')).toBe(
      'Only moderators can use the admin commands.',
    );
    await mo.command('/imagine admin credits @ada 2');
    expect(await mo.until(() => mo.notices()[0], 'the confirmation')).toBe(
      'Ada now has 2 credits a day; 2 left today.',
    );
    await ada.command('/quota');
    expect(await ada.until(() => ada.notices()[0], 'the quota')).toMatch(/^You have 2 of 2 /);
  });
});

describe('playground: the page and who may reach it', () => {
  it('labels the simulated backend in the page itself and sends a strict content policy', async () => {
    harness = await startPlayground();
    const page = await fetch(harness.url);
    const html = await page.text();
    expect(html).toContain('data-backend="simulated"');
    expect(html).toContain('Simulated image API: images are placeholders made on this machine');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(harness.logs.join('\n')).toContain(
      'no AIGPTIMAGE_API_KEY: using the built-in simulated image API',
    );
    // Every log line of a simulated run says so.
    for (const line of harness.logs) expect(line).toContain('"imageApi":"simulated"');
  });

  it('with a key it uses that API, says so, and never sends the key to the page', async () => {
    sim = await startImageApiSimulator({ taskDurationMs: 200 });
    harness = await startPlayground({
      env: { AIGPTIMAGE_API_KEY: 'sk-very-secret-key-123', AIGPTIMAGE_BASE_URL: sim.url },
    });
    const ada = await open('ada');
    await ada.command('/imagine a real fox');
    const { card } = await cardOf(ada, 'done');
    expect(card.simulated).toBe(false);
    expect(card.image?.alt).toBe('Generated image for the prompt: a real fox');
    expect([...sim.tasks.values()][0]!.requestId).toMatch(/^playground-/);
    const html = await (await fetch(harness.url)).text();
    expect(html).toContain('Real image API: generations use your API credits');
    const everything =
      html + JSON.stringify(ada.snapshot) + JSON.stringify([...ada.messages.values()]);
    expect(everything).not.toContain('sk-very-secret');
    expect(everything).not.toContain(sim.url);
    expect(harness.logs.join('\n')).not.toContain('sk-very-secret');
  });

  it('answers only requests addressed to localhost, and only JSON posts', async () => {
    harness = await startPlayground();
    const port = new URL(harness.url).port;
    // A page on another site whose name was pointed at 127.0.0.1 still sends its own Host.
    const rebound = await getWithHost(
      `http://127.0.0.1:${port}/playground/`,
      `evil.example:${port}`,
    );
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('Set PLAYGROUND=true');
    expect(
      (await getWithHost(`http://127.0.0.1:${port}/playground/`, `127.0.0.1:${port}`)).status,
    ).toBe(200);
    const form = await fetch(new URL('api/command', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'viewer=ada&channel=general&text=/imagine+x&id=abcdefgh12',
    });
    expect(form.status).toBe(400);
  });
});
