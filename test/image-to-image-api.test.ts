import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/core/api/errors.js';
import { ImageApiClient, type TaskStatus } from '../src/core/api/client.js';
import {
  decodePng,
  encodePng,
  IMAGE_MODEL_ID,
  IMAGE_TO_IMAGE_MODEL_ID,
  SOURCE_FETCH_FAIL_CODE,
  startImageApiSimulator,
  type ImageApiSimulator,
  type RgbPicture,
} from './fakes/image-api/index.js';
import { startSourceHost, type SourceHost } from './fakes/image-api/source-host.js';
import { eventually, TEST_KEY } from './helpers/core.js';

let sim: ImageApiSimulator;
let client: ImageApiClient;
let host: SourceHost;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 0 });
  client = new ImageApiClient({
    baseUrl: sim.url,
    apiKey: TEST_KEY,
    createRetry: { maxAttempts: 1, baseMs: 5, capMs: 10 },
  });
  host = await startSourceHost();
});

afterEach(async () => {
  await client.close();
  await sim.close();
  await host.close();
});

const RED = [220, 30, 30] as const;
const BLUE = [30, 40, 220] as const;
/** Left half red, right half blue: a source whose colours are easy to find in the result. */
const halvesPng = () => encodePng(64, 32, (x) => (x < 32 ? RED : BLUE));

function finished(taskId: string): Promise<TaskStatus> {
  return eventually(
    async () => {
      const status = await client.getTask(taskId);
      return status.state === 'waiting' ? undefined : status;
    },
    15_000,
    `task ${taskId} to finish`,
  );
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function pixel(picture: RgbPicture, x: number, y: number): number[] {
  const offset = (y * picture.width + x) * 3;
  return [...picture.rgb.subarray(offset, offset + 3)];
}

/** Within `tolerance` of each channel: the tint moves a source's colour, but not far. */
function near(actual: number[], expected: readonly number[], tolerance: number): boolean {
  return actual.every((value, channel) => Math.abs(value - expected[channel]!) <= tolerance);
}

describe('createTask with sources (the bot → the API)', () => {
  it('sends the image-to-image model with the sources under image_urls and input_urls, with the X-Request-ID', async () => {
    const first = host.put('/a.png', { body: halvesPng() });
    const second = host.put('/b.png', { body: halvesPng() });
    const taskId = await client.createTask(
      { prompt: 'make it night', options: { resolution: '2K' }, sourceUrls: [first, second] },
      { requestId: 'edit-1' },
    );
    const call = sim.requests.find((request) => request.endpoint === 'createTask');
    expect(call?.requestId).toBe('edit-1');
    expect(call?.body).toEqual({
      model: IMAGE_TO_IMAGE_MODEL_ID,
      input: {
        prompt: 'make it night',
        resolution: '2K',
        image_urls: [first, second],
        input_urls: [first, second],
      },
    });
    const status = await finished(taskId);
    expect(status.state).toBe('success');
    const task = sim.taskFor('edit-1')!;
    expect(task.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(task.sourceUrls).toEqual([first, second]);
    expect(
      sim.sourceFetches.map(({ url, status, contentType }) => [url, status, contentType]),
    ).toEqual(
      expect.arrayContaining([
        [first, 200, 'image/png'],
        [second, 200, 'image/png'],
      ]),
    );
    expect(sim.sourceFetches.every((fetch) => fetch.taskId === taskId && fetch.bytes > 0)).toBe(
      true,
    );
    expect(sim.credits(TEST_KEY)).toBe(Infinity);
  });

  it('a retried createTask (503, then a lost answer) still makes one task that fetches its source once', async () => {
    const retrying = new ImageApiClient({
      baseUrl: sim.url,
      apiKey: TEST_KEY,
      timeoutMs: 500,
      createRetry: { maxAttempts: 4, baseMs: 5, capMs: 10 },
    });
    sim.inject({ endpoint: 'createTask', kind: { type: 'status', status: 503 } });
    sim.inject({ endpoint: 'createTask', kind: { type: 'reset' }, afterCreate: true });
    const source = host.put('/a.png', { body: halvesPng() });
    try {
      const taskId = await retrying.createTask(
        { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [source] },
        { requestId: 'retried-edit' },
      );
      expect((await finished(taskId)).state).toBe('success');
      const calls = sim.requests.filter((request) => request.endpoint === 'createTask');
      expect(calls.map((call) => call.requestId)).toEqual([
        'retried-edit',
        'retried-edit',
        'retried-edit',
      ]);
      expect(sim.createdTaskCount).toBe(1);
      expect(sim.sourceFetches.map((fetch) => [fetch.taskId, fetch.url])).toEqual([
        [taskId, source],
      ]);
    } finally {
      await retrying.close();
    }
  });

  it('a task stays waiting (and charged) until its sources are in, then succeeds', async () => {
    sim.setCredits(TEST_KEY, 3);
    let release!: () => void;
    const slow = host.put('/slow.png', {
      body: halvesPng(),
      until: new Promise<void>((resolve) => (release = resolve)),
    });
    const taskId = await client.createTask(
      { prompt: 'edit', options: { resolution: '2K' }, sourceUrls: [slow] },
      { requestId: 'slow-edit' },
    );
    await eventually(async () => (host.fetched.includes('/slow.png') ? true : undefined));
    // Its duration (0 ms) is long over, but the source has not arrived.
    expect((await client.getTask(taskId)).state).toBe('waiting');
    expect(sim.credits(TEST_KEY)).toBe(1);
    expect(sim.stats().taskStates.waiting).toBe(1);
    release();
    expect((await finished(taskId)).state).toBe('success');
    expect(sim.credits(TEST_KEY)).toBe(1);
    expect(sim.stats().taskStates).toEqual({ waiting: 0, success: 1, fail: 0 });
  });

  it('sends exactly the text-to-image body when there are no sources', async () => {
    await client.createTask(
      { prompt: 'a fox', options: { resolution: '1K', aspectRatio: '16:9' }, sourceUrls: [] },
      { requestId: 'plain-1' },
    );
    expect(sim.requests[0]?.body).toEqual({
      model: IMAGE_MODEL_ID,
      input: { prompt: 'a fox', resolution: '1K', aspect_ratio: '16:9' },
    });
    expect(sim.sourceFetches).toEqual([]);
  });
});

describe('the simulated API refuses sources it could never fetch (422, no task, no charge)', () => {
  const refusals: Array<[string, unknown[], RegExp]> = [
    ['a non-string', [42], /input\.image_urls\[0\] must be a string/],
    ['a data: URL', ['data:image/png;base64,iVBORw0KGgo='], /data: URLs are not supported/],
    ['bare base64', ['iVBORw0KGgo'.repeat(8)], /base64 data/],
    ['plain http to a public host', ['http://images.example.com/a.png'], /https:\/\/ URL/],
    [
      'more than 16 URLs',
      Array.from({ length: 17 }, (_, i) => `https://e.example/${i}.png`),
      /at most 16/,
    ],
  ];
  it.each(refusals)('%s', async (_case, urls, message) => {
    sim.setCredits(TEST_KEY, 5);
    const error = await client
      .createTask(
        { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: urls as string[] },
        { requestId: `bad-${_case}` },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).apiMessage).toMatch(message);
    expect(sim.createdTaskCount).toBe(0);
    expect(sim.credits(TEST_KEY)).toBe(5);
  });

  it('accepts any one of the three field names, and refuses the model with none of them', async () => {
    const source = host.put('/a.png', { body: halvesPng() });
    for (const field of ['image_urls', 'input_urls', 'image_input']) {
      expect(await postCreate({ prompt: 'edit', [field]: [source] })).toMatchObject({ code: 200 });
    }
    expect([...sim.tasks.values()].map((task) => task.sourceUrls)).toEqual([
      [source],
      [source],
      [source],
    ]);
    expect(await postCreate({ prompt: 'edit' })).toMatchObject({
      code: 422,
      msg: 'input.image_urls is required',
    });
    expect(await postCreate({ prompt: 'edit', input_urls: [] })).toMatchObject({
      code: 422,
      msg: 'input.input_urls must not be empty',
    });
    expect(sim.createdTaskCount).toBe(3);
  });
});

describe('plain http to another name of this machine (a playground bound to a LAN address)', () => {
  // 0.0.0.0 stands in for that address: it is not loopback, yet on Linux it reaches this machine.
  it('is refused unless the simulator was told the name is its own', async () => {
    const lanUrl = host.put('/a.png', { body: halvesPng() }).replace('127.0.0.1', '0.0.0.0');
    const refused = await client
      .createTask(
        { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [lanUrl] },
        { requestId: 'lan-refused' },
      )
      .catch((error: unknown) => error);
    expect((refused as ApiError).apiMessage).toBe(
      'input.image_urls[0] must be a publicly reachable https:// URL',
    );

    const own = await startImageApiSimulator({
      taskDurationMs: 0,
      localHttpHosts: () => ['0.0.0.0'],
    });
    const ownClient = new ImageApiClient({ baseUrl: own.url, apiKey: TEST_KEY });
    try {
      const taskId = await ownClient.createTask(
        { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [lanUrl] },
        { requestId: 'lan-own' },
      );
      await eventually(async () =>
        (await ownClient.getTask(taskId)).state === 'success' ? true : undefined,
      );
      expect(own.sourceFetches).toEqual([
        { taskId, url: lanUrl, status: 200, contentType: 'image/png', bytes: halvesPng().length },
      ]);
    } finally {
      await ownClient.close();
      await own.close();
    }
  });
});

async function postCreate(input: Record<string, unknown>) {
  const response = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: IMAGE_TO_IMAGE_MODEL_ID, input }),
  });
  return response.json();
}

describe('a source the API cannot fetch fails the task, and the credits come back', () => {
  const broken: Array<[string, Parameters<SourceHost['put']>[1], RegExp]> = [
    [
      'answers 404',
      { status: 404, contentType: 'text/plain', body: Buffer.from('gone') },
      /: HTTP 404$/,
    ],
    [
      'is an HTML page',
      { contentType: 'text/html', body: Buffer.from('<html></html>') },
      /not an image \(content type text\/html\)$/,
    ],
    ['says it is over 30 MB', { declaredBytes: 31 * 1024 * 1024 }, /larger than 30 MB$/],
    ['is over 30 MB without saying so', { streamBytes: 31 * 1024 * 1024 }, /larger than 30 MB$/],
  ];
  it.each(broken)('the source %s', async (_case, file, reason) => {
    sim.setCredits(TEST_KEY, 10);
    const good = host.put('/good.png', { body: halvesPng() });
    const bad = host.put('/bad', file);
    const taskId = await client.createTask(
      { prompt: 'edit', options: { resolution: '2K' }, sourceUrls: [good, bad] },
      { requestId: 'broken-1' },
    );
    expect(sim.credits(TEST_KEY)).toBe(8);
    const status = await finished(taskId);
    expect(status.state).toBe('fail');
    expect(status.failCode).toBe(SOURCE_FETCH_FAIL_CODE);
    expect(status.failMsg).toMatch(`Failed to fetch the source image ${bad}: `);
    expect(status.failMsg).toMatch(reason);
    expect(sim.credits(TEST_KEY)).toBe(10);
    expect(sim.sourceFetches.find((fetch) => fetch.url === bad)).toMatchObject({ taskId });
  });

  it('follows a redirect to another fetchable URL, but never to plain http elsewhere', async () => {
    const image = host.put('/image.png', { body: halvesPng() });
    const moved = host.put('/moved', { redirectTo: image });
    const away = host.put('/away', { redirectTo: 'http://images.example.com/a.png' });
    const followed = await client.createTask(
      { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [moved] },
      { requestId: 'redirect-ok' },
    );
    expect((await finished(followed)).state).toBe('success');
    const refused = await client.createTask(
      { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [away] },
      { requestId: 'redirect-away' },
    );
    expect((await finished(refused)).failMsg).toBe(
      `Failed to fetch the source image ${away}: redirected to a URL that is not https`,
    );
    expect(host.fetched).toEqual(['/moved', '/image.png', '/away']);
  });

  it('an unreachable host fails the task the same way', async () => {
    const closed = await startSourceHost();
    const url = closed.put('/a.png', { body: halvesPng() });
    await closed.close();
    const taskId = await client.createTask(
      { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [url] },
      { requestId: 'unreachable-1' },
    );
    const status = await finished(taskId);
    expect(status.failMsg).toBe(`Failed to fetch the source image ${url}: connection refused`);
    expect(sim.sourceFetches).toEqual([{ taskId, url, status: null, contentType: null, bytes: 0 }]);
  });
});

/** The result of an edit of `source` and of a new image, both of the same prompt and size. */
async function editAndNewImage(source: string, label: string): Promise<[Buffer, Buffer]> {
  const editId = await client.createTask(
    { prompt: 'a lighthouse', options: { resolution: '1K' }, sourceUrls: [source] },
    { requestId: `${label}-edit` },
  );
  const newId = await client.createTask(
    { prompt: 'a lighthouse', options: { resolution: '1K' } },
    { requestId: `${label}-new` },
  );
  return [
    await download((await finished(editId)).resultUrls[0]!),
    await download((await finished(newId)).resultUrls[0]!),
  ];
}

describe('the simulated result derives from its first source', () => {
  it('an edit shows the source’s colours, tinted and framed, unlike the new image of the same prompt', async () => {
    const source = host.put('/halves.png', { body: halvesPng() });
    const [edited, made] = await editAndNewImage(source, 'derive');
    expect(edited.equals(made)).toBe(false);

    const picture = decodePng(edited)!;
    // 1K, no aspect ratio: the source's own 2:1 shape at 256 px.
    expect([picture.width, picture.height]).toEqual([256, 128]);
    const left = pixel(picture, 64, 64);
    const right = pixel(picture, 192, 64);
    expect(near(left, RED, 70)).toBe(true);
    expect(near(right, BLUE, 70)).toBe(true);
    expect(left[0]!).toBeGreaterThan(left[2]!);
    expect(right[2]!).toBeGreaterThan(right[0]!);
    // The frame is one colour all round, and not the source's.
    const frame = pixel(picture, 0, 0);
    expect(pixel(picture, 255, 127)).toEqual(frame);
    expect(near(frame, RED, 10) || near(frame, BLUE, 10)).toBe(false);
  });

  it('a JPEG source gives the framed placeholder, still not the new image of the same prompt', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
    const source = host.put('/photo.jpg', { contentType: 'image/jpeg', body: jpeg });
    const [edited, made] = (await editAndNewImage(source, 'jpeg')).map((file) => decodePng(file)!);
    if (!edited || !made) throw new Error('both results are PNGs');
    expect([edited.width, edited.height]).toEqual([made.width, made.height]);
    expect(pixel(edited, 0, 0)).not.toEqual(pixel(made, 0, 0));
    const middle = [Math.floor(made.width / 2), Math.floor(made.height / 4)] as const;
    expect(pixel(edited, ...middle)).toEqual(pixel(made, ...middle));
  });

  it('recordInfo names the image-to-image model and echoes the body as sent', async () => {
    const source = host.put('/a.png', { body: halvesPng() });
    const taskId = await client.createTask(
      { prompt: 'edit', options: { resolution: '1K' }, sourceUrls: [source] },
      { requestId: 'record-1' },
    );
    await finished(taskId);
    const response = await fetch(`${sim.url}/api/v1/jobs/recordInfo?taskId=${taskId}`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    const { data } = (await response.json()) as { data: { model: string; param: string } };
    expect(data.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(JSON.parse(data.param)).toMatchObject({
      model: IMAGE_TO_IMAGE_MODEL_ID,
      input: { image_urls: [source], input_urls: [source] },
    });
  });
});
