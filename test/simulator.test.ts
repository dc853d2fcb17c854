import { crc32, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONTENT_POLICY_FAIL_MESSAGE,
  IMAGE_MODEL_ID,
  encodePng,
  readPngSize,
  simulatedImage,
  simulatedImageSize,
  startImageApiSimulator,
  type ImageApiSimulator,
  type SimulatorOptions,
} from './fakes/image-api/index.js';

const KEY = 'sk-test';
const START_TIME = 1_777_000_000_000;

interface ApiBody {
  code: number;
  msg: string;
  data?: unknown;
}

interface TaskRecordBody {
  taskId: string;
  model: string;
  state: string;
  param: string;
  resultJson: string | null;
  failCode: string | null;
  failMsg: string | null;
  costTime: number | null;
  completeTime: number | null;
  createTime: number;
}

let sim: ImageApiSimulator | undefined;
let clock = START_TIME;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Starts a simulator on a virtual clock, so tests move time forward instead of sleeping. */
async function start(options: SimulatorOptions = {}): Promise<ImageApiSimulator> {
  clock = START_TIME;
  sim = await startImageApiSimulator({ now: () => clock, ...options });
  return sim;
}

function advance(ms: number): void {
  clock += ms;
}

function createTask(
  server: ImageApiSimulator,
  input: Record<string, unknown> = { prompt: 'a red fox in snow' },
  {
    key = KEY,
    requestId,
    model = IMAGE_MODEL_ID,
  }: { key?: string; requestId?: string; model?: string } = {},
): Promise<Response> {
  return fetch(`${server.url}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    },
    body: JSON.stringify({ model, input }),
  });
}

function recordInfo(server: ImageApiSimulator, taskId: string, key = KEY): Promise<Response> {
  return fetch(`${server.url}/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
}

async function createdTaskId(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as ApiBody & { data: { taskId: string } };
  expect(body.code).toBe(200);
  expect(body.msg).toBe('success');
  return body.data.taskId;
}

async function recordOf(response: Response): Promise<TaskRecordBody> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as ApiBody & { data: TaskRecordBody };
  expect(body.code).toBe(200);
  return body.data;
}

async function expectError(
  response: Response,
  status: number,
  msg?: string | RegExp,
): Promise<ApiBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as ApiBody;
  expect(body.code).toBe(status);
  expect(typeof body.msg).toBe('string');
  if (msg !== undefined) expect(body.msg).toMatch(msg);
  return body;
}

/** Walks every chunk, checks CRCs, and inflates the image data to prove the PNG is well-formed. */
function decodePng(buf: Buffer): { width: number; height: number; scanlines: Buffer } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length)).toBe(
      crc32(buf.subarray(offset + 4, offset + 8 + length)),
    );
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const scanlines = inflateSync(Buffer.concat(idat));
  expect(scanlines.length).toBe(height * (1 + width * 3));
  return { width, height, scanlines };
}

describe('png', () => {
  it('encodes the exact pixels given', () => {
    const png = encodePng(3, 2, (x, y) => [x * 100, y * 200, 7]);
    const { width, height, scanlines } = decodePng(png);
    expect({ width, height }).toEqual({ width: 3, height: 2 });
    expect([...scanlines]).toEqual([
      0, 0, 0, 7, 100, 0, 7, 200, 0, 7, 0, 0, 200, 7, 100, 200, 7, 200, 200, 7,
    ]);
    expect(readPngSize(png)).toEqual({ width: 3, height: 2 });
  });

  it('rejects non-PNG input in readPngSize', () => {
    expect(readPngSize(Buffer.from('<html>not a png</html>'))).toBeNull();
    expect(readPngSize(Buffer.alloc(0))).toBeNull();
  });

  it('sizes simulated images by aspect ratio and resolution', () => {
    expect(simulatedImageSize('1:1', '1K')).toEqual({ width: 256, height: 256 });
    expect(simulatedImageSize('auto', '2K')).toEqual({ width: 384, height: 384 });
    expect(simulatedImageSize('16:9', '1K')).toEqual({ width: 256, height: 144 });
    expect(simulatedImageSize('9:16', '4K')).toEqual({ width: 288, height: 512 });
    expect(simulatedImageSize('21:9', '1K')).toEqual({ width: 256, height: 110 });
    expect(simulatedImageSize('4:5', '2K')).toEqual({ width: 307, height: 384 });
    expect(simulatedImageSize()).toEqual({ width: 256, height: 256 });
    const png = simulatedImage({ prompt: 'x', aspectRatio: '2:3', resolution: '4K' });
    expect(decodePng(png)).toMatchObject({ width: 341, height: 512 });
  });

  it('derives the picture from the prompt deterministically', () => {
    const a = simulatedImage({ prompt: 'a lighthouse' });
    expect(simulatedImage({ prompt: 'a lighthouse' }).equals(a)).toBe(true);
    expect(simulatedImage({ prompt: 'a submarine' }).equals(a)).toBe(false);
  });

  it('pads to minBytes with incompressible noise while keeping the aspect ratio', () => {
    const minBytes = 8 * 1024 * 1024;
    const png = simulatedImage({ prompt: 'big one', aspectRatio: '16:9', minBytes });
    expect(png.length).toBeGreaterThanOrEqual(minBytes);
    const { width, height } = decodePng(png);
    expect(width / height).toBeCloseTo(16 / 9, 2);
  });
});

describe('image API simulator: happy path', () => {
  it('creates a task that waits, then succeeds with a fetchable PNG of the requested aspect', async () => {
    const server = await start({ taskDurationMs: 1000 });
    const input = {
      prompt: 'a lighthouse at dusk',
      aspect_ratio: '16:9',
      resolution: '2K',
    } as const;
    const taskId = await createdTaskId(await createTask(server, input));
    expect(taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const waiting = await recordOf(await recordInfo(server, taskId));
    expect(waiting).toEqual({
      taskId,
      model: IMAGE_MODEL_ID,
      state: 'waiting',
      param: JSON.stringify({ model: IMAGE_MODEL_ID, input }),
      resultJson: null,
      failCode: null,
      failMsg: null,
      costTime: null,
      completeTime: null,
      createTime: START_TIME,
    });
    expect(JSON.parse(waiting.param)).toEqual({ model: IMAGE_MODEL_ID, input });

    advance(999);
    expect((await recordOf(await recordInfo(server, taskId))).state).toBe('waiting');
    expect((await fetch(`${server.url}/cdn/${taskId}/1.png`)).status).toBe(404);

    advance(1);
    const done = await recordOf(await recordInfo(server, taskId));
    expect(done.state).toBe('success');
    expect(done.costTime).toBe(1000);
    expect(done.completeTime).toBe(START_TIME + 1000);
    expect(done.failCode).toBeNull();
    const resultUrl = `${server.url}/cdn/${taskId}/1.png`;
    expect(JSON.parse(done.resultJson ?? 'null')).toEqual({ resultUrls: [resultUrl] });

    const image = await fetch(resultUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(Number(image.headers.get('content-length'))).toBe(bytes.length);
    expect(readPngSize(bytes)).toEqual({ width: 384, height: 216 });
    expect(decodePng(bytes)).toMatchObject({ width: 384, height: 216 });
    expect(
      bytes.equals(simulatedImage({ prompt: input.prompt, aspectRatio: '16:9', resolution: '2K' })),
    ).toBe(true);
  });

  it('uses the default duration of 200 ms and the 1:1 1K defaults', async () => {
    const server = await start();
    const taskId = await createdTaskId(await createTask(server, { prompt: 'defaults' }));
    expect(server.tasks.get(taskId)?.durationMs).toBe(200);
    advance(200);
    const record = await recordOf(await recordInfo(server, taskId));
    expect(record.state).toBe('success');
    const image = Buffer.from(
      await (await fetch(`${server.url}/cdn/${taskId}/1.png`)).arrayBuffer(),
    );
    expect(readPngSize(image)).toEqual({ width: 256, height: 256 });
  });

  it('serves the image with the real clock too', async () => {
    // A second of margin: on a loaded machine the create answer alone can take tens of ms.
    sim = await startImageApiSimulator({ taskDurationMs: 1_000 });
    const taskId = await createdTaskId(await createTask(sim, { prompt: 'real time' }));
    expect(sim.taskState(taskId)).toBe('waiting');
    const deadline = Date.now() + 10_000;
    let state = 'waiting';
    while (state === 'waiting' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await recordOf(await recordInfo(sim, taskId))).state;
    }
    expect(state).toBe('success');
  });

  it('pads CDN images to imageMinBytes', async () => {
    const server = await start({ taskDurationMs: 0, imageMinBytes: 1024 * 1024 });
    const taskId = await createdTaskId(
      await createTask(server, { prompt: 'heavy', aspect_ratio: '9:16' }),
    );
    const response = await fetch(`${server.url}/cdn/${taskId}/1.png`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBeGreaterThanOrEqual(1024 * 1024);
    const { width, height } = decodePng(bytes);
    expect(width / height).toBeCloseTo(9 / 16, 2);
  });

  it('answers HEAD on the CDN with headers only', async () => {
    const server = await start({ taskDurationMs: 0 });
    const taskId = await createdTaskId(await createTask(server));
    const head = await fetch(`${server.url}/cdn/${taskId}/1.png`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('ends prompts containing the fail marker in fail and refunds the cost', async () => {
    const server = await start({ taskDurationMs: 500, credits: 10 });
    const taskId = await createdTaskId(
      await createTask(server, { prompt: 'forbidden [fail] thing', resolution: '4K' }),
    );
    expect(server.credits(KEY)).toBe(6);
    advance(500);
    const record = await recordOf(await recordInfo(server, taskId));
    expect(record).toMatchObject({
      state: 'fail',
      resultJson: null,
      failCode: '400',
      failMsg: CONTENT_POLICY_FAIL_MESSAGE,
      costTime: null,
      completeTime: null,
      createTime: START_TIME,
    });
    expect(server.credits(KEY)).toBe(10);
    expect((await fetch(`${server.url}/cdn/${taskId}/1.png`)).status).toBe(404);
  });

  it('honours a custom fail marker', async () => {
    const server = await start({ taskDurationMs: 0, failMarker: 'NSFW' });
    const failing = await createdTaskId(await createTask(server, { prompt: 'NSFW please' }));
    const passing = await createdTaskId(
      await createTask(server, { prompt: 'a [fail] that is fine now' }),
    );
    expect(server.taskState(failing)).toBe('fail');
    expect(server.taskState(passing)).toBe('success');
  });
});

describe('image API simulator: idempotency and billing', () => {
  it('returns the same task for the same key and X-Request-ID, creating and charging once', async () => {
    const server = await start({ credits: 10 });
    const first = await createdTaskId(
      await createTask(server, { prompt: 'p', resolution: '2K' }, { requestId: 'req-1' }),
    );
    const second = await createdTaskId(
      await createTask(server, { prompt: 'p', resolution: '2K' }, { requestId: 'req-1' }),
    );
    expect(second).toBe(first);
    expect(server.createdTaskCount).toBe(1);
    expect(server.credits(KEY)).toBe(8);
    expect(server.tasks.get(first)?.requestId).toBe('req-1');

    const otherRequest = await createdTaskId(
      await createTask(server, { prompt: 'p' }, { requestId: 'req-2' }),
    );
    const otherKey = await createdTaskId(
      await createTask(server, { prompt: 'p' }, { requestId: 'req-1', key: 'sk-other' }),
    );
    expect(new Set([first, otherRequest, otherKey]).size).toBe(3);
    expect(server.createdTaskCount).toBe(3);
  });

  it('creates a new task for every request without X-Request-ID', async () => {
    const server = await start();
    const a = await createdTaskId(await createTask(server));
    const b = await createdTaskId(await createTask(server));
    expect(a).not.toBe(b);
    expect(server.createdTaskCount).toBe(2);
  });

  it('replays an idempotent create even when the key is now out of credits', async () => {
    const server = await start({ credits: 1 });
    const taskId = await createdTaskId(
      await createTask(server, { prompt: 'p' }, { requestId: 'same' }),
    );
    expect(server.credits(KEY)).toBe(0);
    expect(
      await createdTaskId(await createTask(server, { prompt: 'p' }, { requestId: 'same' })),
    ).toBe(taskId);
    await expectError(
      await createTask(server, { prompt: 'p' }, { requestId: 'new' }),
      402,
      'Insufficient credits',
    );
  });

  it('charges 1/2/4 credits for 1K/2K/4K and answers 402 when the balance is short', async () => {
    const server = await start({ credits: 7 });
    await createdTaskId(await createTask(server, { prompt: 'p', resolution: '4K' }));
    expect(server.credits(KEY)).toBe(3);
    await expectError(
      await createTask(server, { prompt: 'p', resolution: '4K' }),
      402,
      'Insufficient credits',
    );
    await createdTaskId(await createTask(server, { prompt: 'p', resolution: '2K' }));
    await createdTaskId(await createTask(server, { prompt: 'p' }));
    expect(server.credits(KEY)).toBe(0);
    await expectError(await createTask(server, { prompt: 'p' }), 402);
    expect(server.createdTaskCount).toBe(3);

    server.setCredits(KEY, 1);
    await createdTaskId(await createTask(server, { prompt: 'p' }));
    expect(server.credits('sk-someone-else')).toBe(7);
  });

  it('answers 409 once the active task limit is reached, until a task finishes', async () => {
    const server = await start({ activeTaskLimit: 2, taskDurationMs: 1000 });
    const first = await createdTaskId(await createTask(server));
    await createdTaskId(await createTask(server));
    await expectError(await createTask(server), 409, 'Active task limit exceeded');
    await createdTaskId(await createTask(server, { prompt: 'other key' }, { key: 'sk-other' }));

    server.finishTask(first, 'success');
    await createdTaskId(await createTask(server));
    await expectError(await createTask(server), 409);

    advance(1000);
    await createdTaskId(await createTask(server));
    await createdTaskId(await createTask(server));
  });

  it('finishTask ends a waiting task now and refunds a forced failure', async () => {
    const server = await start({ taskDurationMs: 60_000, credits: 5 });
    const taskId = await createdTaskId(await createTask(server, { prompt: 'p', resolution: '2K' }));
    advance(1234);
    server.finishTask(taskId, 'fail');
    expect(server.credits(KEY)).toBe(5);
    expect((await recordOf(await recordInfo(server, taskId))).state).toBe('fail');
    expect(() => server.finishTask(taskId, 'success')).toThrow(/already finished/);
    expect(() => server.finishTask('nope', 'success')).toThrow(/Unknown task/);

    const other = await createdTaskId(await createTask(server, { prompt: 'p [fail]' }));
    advance(10);
    server.finishTask(other, 'success');
    const record = await recordOf(await recordInfo(server, other));
    expect(record).toMatchObject({
      state: 'success',
      costTime: 10,
      completeTime: START_TIME + 1244,
    });
    expect(server.credits(KEY)).toBe(4);
  });

  it('takes per-task durations from a function and setTaskDuration', async () => {
    const server = await start({
      taskDurationMs: (input, index) => (input.prompt === 'slow' ? 5000 : index * 100),
    });
    const a = await createdTaskId(await createTask(server, { prompt: 'fast' }));
    const b = await createdTaskId(await createTask(server, { prompt: 'fast' }));
    const c = await createdTaskId(await createTask(server, { prompt: 'slow' }));
    expect([a, b, c].map((id) => server.tasks.get(id)?.durationMs)).toEqual([0, 100, 5000]);
    server.setTaskDuration(42);
    const d = await createdTaskId(await createTask(server));
    expect(server.tasks.get(d)?.durationMs).toBe(42);
    expect(server.tasks.get(c)?.durationMs).toBe(5000);
  });
});

describe('image API simulator: errors', () => {
  it('answers 401 for missing, malformed and rejected keys', async () => {
    const server = await start();
    const noAuth = await fetch(`${server.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: IMAGE_MODEL_ID, input: { prompt: 'p' } }),
    });
    await expectError(noAuth, 401);
    await expectError(
      await createTask(server, { prompt: 'p' }, { key: 'sk-invalid' }),
      401,
      'Invalid API key',
    );
    await expectError(await createTask(server, { prompt: 'p' }, { key: 'pk-live-123' }), 401);
    await expectError(await recordInfo(server, 'whatever', 'sk-invalid'), 401);
    const basic = await fetch(`${server.url}/api/v1/jobs/recordInfo?taskId=x`, {
      headers: { authorization: 'Basic c2stdGVzdA==' },
    });
    await expectError(basic, 401);
    expect(server.createdTaskCount).toBe(0);
  });

  it('uses a custom acceptKey', async () => {
    const server = await start({ acceptKey: (key) => key === 'only-this' });
    await expectError(await createTask(server, { prompt: 'p' }, { key: KEY }), 401);
    await createdTaskId(await createTask(server, { prompt: 'p' }, { key: 'only-this' }));
  });

  it('answers 404 for unknown tasks and tasks of another key', async () => {
    const server = await start({ taskDurationMs: 0 });
    const taskId = await createdTaskId(await createTask(server));
    await expectError(
      await recordInfo(server, 'b0d5e3c4-0000-4000-8000-000000000000'),
      404,
      'Task not found',
    );
    await expectError(await recordInfo(server, taskId, 'sk-someone-else'), 404, 'Task not found');
    await recordOf(await recordInfo(server, taskId));
    expect((await fetch(`${server.url}/cdn/unknown/1.png`)).status).toBe(404);
    await expectError(await fetch(`${server.url}/api/v1/nothing-here`), 404);
  });

  it('answers 400 for a missing taskId and for bodies that are not JSON', async () => {
    const server = await start();
    await expectError(
      await fetch(`${server.url}/api/v1/jobs/recordInfo`, {
        headers: { authorization: `Bearer ${KEY}` },
      }),
      400,
    );
    const broken = await fetch(`${server.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"model": "gpt-image-2-text-to-image", "input": {',
    });
    await expectError(broken, 400, /JSON/);
    const wrongType = await fetch(`${server.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ model: IMAGE_MODEL_ID, input: { prompt: 'p' } }),
    });
    await expectError(wrongType, 400, /Content-Type/);
    expect(server.createdTaskCount).toBe(0);
  });

  it('answers 422 for every invalid parameter and accepts the boundaries', async () => {
    const server = await start();
    await expectError(
      await createTask(server, { prompt: 'p' }, { model: 'gpt-image-1' }),
      422,
      /model/,
    );
    await expectError(await createTask(server, {}), 422, /prompt/);
    await expectError(await createTask(server, { prompt: '' }), 422, /prompt/);
    await expectError(await createTask(server, { prompt: '   ' }), 422, /prompt/);
    await expectError(await createTask(server, { prompt: 42 }), 422, /prompt/);
    await expectError(await createTask(server, { prompt: 'x'.repeat(20_001) }), 422, /20000/);
    await expectError(
      await createTask(server, { prompt: 'p', aspect_ratio: '2:1' }),
      422,
      /aspect_ratio/,
    );
    await expectError(
      await createTask(server, { prompt: 'p', resolution: '8K' }),
      422,
      /resolution/,
    );
    await expectError(
      await createTask(server, { prompt: 'p', resolution: '1k' }),
      422,
      /resolution/,
    );
    const noInput = await fetch(`${server.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: IMAGE_MODEL_ID }),
    });
    await expectError(noInput, 422, /input/);
    expect(server.createdTaskCount).toBe(0);

    await createdTaskId(await createTask(server, { prompt: 'x'.repeat(20_000) }));
    // 20000 characters that are 40000 UTF-16 code units: the limit counts characters.
    await createdTaskId(await createTask(server, { prompt: '😀'.repeat(20_000) }));
    for (const aspect of ['auto', '1:1', '4:5', '3:4', '2:3', '16:9', '9:16', '21:9']) {
      await createdTaskId(
        await createTask(server, { prompt: 'p', aspect_ratio: aspect, quality: 'high' }),
      );
    }
    expect(server.createdTaskCount).toBe(10);
  });

  it('answers 405 for the wrong method', async () => {
    const server = await start();
    await expectError(
      await fetch(`${server.url}/api/v1/jobs/createTask`, {
        headers: { authorization: `Bearer ${KEY}` },
      }),
      405,
    );
  });
});

describe('image API simulator: faults', () => {
  it('status faults answer with the status, a mirrored body code, and Retry-After', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', kind: { type: 'status', status: 429, retryAfter: 7 } });
    const limited = await createTask(server);
    expect(limited.headers.get('retry-after')).toBe('7');
    await expectError(limited, 429, 'Request rate limit exceeded');

    server.inject({
      endpoint: 'createTask',
      kind: { type: 'status', status: 503, msg: 'maintenance' },
    });
    const unavailable = await createTask(server);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    await expectError(unavailable, 503, 'maintenance');
    expect(server.createdTaskCount).toBe(0);

    await createdTaskId(await createTask(server));
  });

  it('applies a fault to the next `times` matching requests in FIFO order', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', times: 2, kind: { type: 'status', status: 500 } });
    server.inject({ endpoint: 'any', kind: { type: 'status', status: 502 } });
    server.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 401 } });
    expect(server.pendingFaults.map((f) => f.times)).toEqual([2, 1, 1]);

    await expectError(await recordInfo(server, 'x'), 502);
    await expectError(await createTask(server), 500);
    await expectError(await recordInfo(server, 'x'), 401);
    await expectError(await createTask(server), 500);
    const taskId = await createdTaskId(await createTask(server));
    await recordOf(await recordInfo(server, taskId));
    expect(server.pendingFaults).toEqual([]);
  });

  it('clearFaults drops pending faults', async () => {
    const server = await start();
    server.inject({ endpoint: 'any', times: 5, kind: { type: 'status', status: 500 } });
    server.clearFaults();
    await createdTaskId(await createTask(server));
  });

  it('bodyCode answers HTTP 200 with an error code in the body', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', kind: { type: 'bodyCode', code: 402 } });
    const response = await createTask(server);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 402, msg: 'Insufficient credits', data: null });
    expect(server.createdTaskCount).toBe(0);
  });

  it('html answers with an HTML error page', async () => {
    const server = await start();
    server.inject({ endpoint: 'recordInfo', kind: { type: 'html' } });
    server.inject({ endpoint: 'recordInfo', kind: { type: 'html', status: 504 } });
    const badGateway = await recordInfo(server, 'x');
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers.get('content-type')).toMatch(/text\/html/);
    expect(await badGateway.text()).toMatch(/<html>[\s\S]*502 Bad Gateway[\s\S]*<\/html>/);
    const timeout = await recordInfo(server, 'x');
    expect(timeout.status).toBe(504);
    expect(await timeout.text()).toMatch(/504/);
  });

  it('truncated answers 200 JSON that does not parse, and creates nothing', async () => {
    const server = await start({ taskDurationMs: 0 });
    server.inject({ endpoint: 'createTask', kind: { type: 'truncated' } });
    const response = await createTask(server);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    expect(text.startsWith('{"code":200')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(server.createdTaskCount).toBe(0);

    const taskId = await createdTaskId(await createTask(server));
    server.inject({ endpoint: 'recordInfo', kind: { type: 'truncated' } });
    const record = await recordInfo(server, taskId);
    expect(record.status).toBe(200);
    const recordText = await record.text();
    expect(recordText.startsWith(`{"code":200,"msg":"success","data":{"taskId":"${taskId}"`)).toBe(
      true,
    );
    expect(() => JSON.parse(recordText) as unknown).toThrow();

    server.inject({ endpoint: 'cdn', kind: { type: 'truncated' } });
    const full = simulatedImage({ prompt: 'a red fox in snow' });
    const cut = Buffer.from(await (await fetch(`${server.url}/cdn/${taskId}/1.png`)).arrayBuffer());
    expect(cut.length).toBe(Math.floor(full.length / 2));
    expect(() => inflateSync(cut.subarray(41))).toThrow();
  });

  it('hang never answers, and close() still shuts down promptly', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', kind: { type: 'hang' } });
    const hanging = createTask(server, { prompt: 'p' }, { requestId: 'hung' });
    const outcome = await Promise.race([
      hanging.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still hanging'), 150)),
    ]);
    expect(outcome).toBe('still hanging');
    expect(server.createdTaskCount).toBe(0);

    const closeStarted = Date.now();
    await server.close();
    expect(Date.now() - closeStarted).toBeLessThan(1000);
    await expect(hanging).rejects.toThrow();
  });

  it('hang with afterCreate creates the task, and the idempotent retry returns it', async () => {
    const server = await start({ credits: 5 });
    server.inject({ endpoint: 'createTask', afterCreate: true, kind: { type: 'hang' } });
    await expect(fetchWithTimeout(server, 'retry-me', 150)).rejects.toThrow(/timeout|aborted/i);
    expect(server.createdTaskCount).toBe(1);
    const [created] = [...server.tasks.values()];
    const retried = await createdTaskId(
      await createTask(server, { prompt: 'p' }, { requestId: 'retry-me' }),
    );
    expect(retried).toBe(created?.taskId);
    expect(server.createdTaskCount).toBe(1);
    expect(server.credits(KEY)).toBe(4);
  });

  it('reset destroys the connection; with afterCreate the task exists', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', kind: { type: 'reset' } });
    await expect(createTask(server, { prompt: 'p' }, { requestId: 'r' })).rejects.toThrow();
    expect(server.createdTaskCount).toBe(0);

    server.inject({ endpoint: 'createTask', afterCreate: true, kind: { type: 'reset' } });
    await expect(createTask(server, { prompt: 'p' }, { requestId: 'r' })).rejects.toThrow();
    expect(server.createdTaskCount).toBe(1);
    const taskId = await createdTaskId(
      await createTask(server, { prompt: 'p' }, { requestId: 'r' }),
    );
    expect(server.tasks.has(taskId)).toBe(true);
    expect(server.createdTaskCount).toBe(1);

    server.inject({ endpoint: 'cdn', kind: { type: 'reset' } });
    await expect(fetch(`${server.url}/cdn/${taskId}/1.png`)).rejects.toThrow();
  });

  it('delay answers normally after the delay, with the task created on arrival', async () => {
    const server = await start();
    server.inject({ endpoint: 'createTask', kind: { type: 'delay', ms: 120 } });
    const started = performance.now();
    let answered = false;
    const pending = createTask(server, { prompt: 'p' }, { requestId: 'slow' });
    void pending.finally(() => (answered = true));
    // Watch for the task rather than sleeping a guessed time: it must exist before the answer comes.
    while (server.createdTaskCount === 0 && !answered)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.createdTaskCount).toBe(1);
    expect(answered).toBe(false);
    const taskId = await createdTaskId(await pending);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(server.tasks.has(taskId)).toBe(true);
  });

  it('garbage-result and no-urls answer success records with unusable results', async () => {
    const server = await start({ taskDurationMs: 1000 });
    const taskId = await createdTaskId(await createTask(server));
    server.inject({ endpoint: 'any', kind: { type: 'garbage-result' } });
    server.inject({ endpoint: 'recordInfo', kind: { type: 'no-urls' } });

    // A recordInfo-only fault does not fire on other endpoints, even when queued for `any`.
    await createdTaskId(await createTask(server));

    const garbage = await recordOf(await recordInfo(server, taskId));
    expect(garbage.state).toBe('success');
    expect(typeof garbage.resultJson).toBe('string');
    expect(() => JSON.parse(garbage.resultJson ?? '') as unknown).toThrow();

    const empty = await recordOf(await recordInfo(server, taskId));
    expect(empty.state).toBe('success');
    expect(JSON.parse(empty.resultJson ?? '')).toEqual({ resultUrls: [] });

    expect((await recordOf(await recordInfo(server, taskId))).state).toBe('waiting');
  });

  it('rejects faults that cannot apply', async () => {
    const server = await start();
    expect(() => server.inject({ endpoint: 'createTask', kind: { type: 'no-urls' } })).toThrow(
      /recordInfo/,
    );
    expect(() =>
      server.inject({ endpoint: 'any', kind: { type: 'status', status: 418 as 400 } }),
    ).toThrow(/status/);
    expect(server.pendingFaults).toEqual([]);
  });
});

describe('image API simulator: inspection and HTTP control', () => {
  it('records requests with endpoint, X-Request-ID, authorization and parsed body', async () => {
    const server = await start({ taskDurationMs: 0 });
    const taskId = await createdTaskId(
      await createTask(server, { prompt: 'logged' }, { requestId: 'log-1' }),
    );
    await recordOf(await recordInfo(server, taskId));
    await fetch(`${server.url}/cdn/${taskId}/1.png`).then((r) => r.arrayBuffer());
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/api/v1/jobs/createTask',
        endpoint: 'createTask',
        requestId: 'log-1',
        authorization: `Bearer ${KEY}`,
        body: { model: IMAGE_MODEL_ID, input: { prompt: 'logged' } },
        at: START_TIME,
      },
      {
        method: 'GET',
        path: `/api/v1/jobs/recordInfo?taskId=${taskId}`,
        endpoint: 'recordInfo',
        authorization: `Bearer ${KEY}`,
        at: START_TIME,
      },
      { method: 'GET', path: `/cdn/${taskId}/1.png`, endpoint: 'cdn', at: START_TIME },
    ]);
    expect(server.tasks.get(taskId)).toMatchObject({
      key: KEY,
      requestId: 'log-1',
      input: { prompt: 'logged' },
      createdAt: START_TIME,
      durationMs: 0,
      outcome: 'success',
    });
  });

  it('keeps no request log when recordRequests is false', async () => {
    const server = await start({ recordRequests: false });
    await createdTaskId(await createTask(server));
    expect(server.requests).toEqual([]);
    expect(server.stats().requestCounts.createTask).toBe(1);
  });

  it('exposes stats and fault injection over HTTP', async () => {
    const server = await start({ taskDurationMs: 100, credits: 3 });
    const taskId = await createdTaskId(await createTask(server));
    await createdTaskId(await createTask(server, { prompt: 'p [fail]' }));

    const injected = await fetch(`${server.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        endpoint: 'recordInfo',
        times: 2,
        kind: { type: 'status', status: 500 },
      }),
    });
    expect(injected.status).toBe(200);
    await expectError(await recordInfo(server, taskId), 500);

    const stats = (await (await fetch(`${server.url}/__sim/stats`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(stats.data).toEqual({
      url: server.url,
      createdTaskCount: 2,
      taskStates: { waiting: 2, success: 0, fail: 0 },
      requestCounts: { createTask: 2, recordInfo: 1, cdn: 0, unknown: 0 },
      pendingFaults: [{ endpoint: 'recordInfo', times: 1, kind: { type: 'status', status: 500 } }],
      credits: { [KEY]: 1 },
    });

    const cleared = await fetch(`${server.url}/__sim/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(server.pendingFaults).toEqual([]);
    await recordOf(await recordInfo(server, taskId));

    advance(100);
    const later = (await (await fetch(`${server.url}/__sim/stats`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(later.data).toMatchObject({
      taskStates: { waiting: 0, success: 1, fail: 1 },
      credits: { [KEY]: 2 },
    });

    const invalid = await fetch(`${server.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'everywhere', kind: { type: 'hang' } }),
    });
    await expectError(invalid, 422, /endpoint/);
    // Control traffic is neither logged nor subject to faults.
    expect(server.requests.every((r) => r.endpoint !== 'unknown')).toBe(true);
  });

  // 2,000 here keeps the suite quick on a loaded CI machine; bench scenario 3 runs 10,000 in flight.
  it('holds thousands of tasks in flight and answers a burst of polls', async () => {
    const TASKS = 2_000;
    const server = await start({ taskDurationMs: 60_000, recordRequests: false });
    const taskIds: string[] = [];
    let started = 0;
    const createWorkers = Array.from({ length: 50 }, async () => {
      while (started < TASKS) {
        const index = started++;
        taskIds.push(await createdTaskId(await createTask(server, { prompt: `load ${index}` })));
      }
    });
    await Promise.all(createWorkers);
    expect(server.createdTaskCount).toBe(TASKS);
    expect(new Set(taskIds).size).toBe(TASKS);

    const sample = taskIds.slice(0, 500);
    const states = await Promise.all(
      sample.map(async (id) => (await recordOf(await recordInfo(server, id))).state),
    );
    expect(states.every((state) => state === 'waiting')).toBe(true);
    advance(60_000);
    expect(server.stats().taskStates).toEqual({ waiting: 0, success: TASKS, fail: 0 });
  }, 60_000);
});

/** Starts a create that we abandon after `ms`, as a client with a timeout would. */
function fetchWithTimeout(
  server: ImageApiSimulator,
  requestId: string,
  ms: number,
): Promise<Response> {
  return fetch(`${server.url}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      'x-request-id': requestId,
    },
    body: JSON.stringify({ model: IMAGE_MODEL_ID, input: { prompt: 'p' } }),
    signal: AbortSignal.timeout(ms),
  });
}

describe('image API simulator: the limits of a tier, as documented', () => {
  async function refusal(response: Response) {
    expect(response.status).toBe(429);
    const body = (await response.json()) as ApiBody;
    expect(body.code).toBe(429);
    return body.data;
  }

  it('refuses a second createTask within a second on the free tier, naming the window', async () => {
    const server = await start({ limits: 'free', taskDurationMs: 100 });
    await createdTaskId(await createTask(server));
    advance(200);
    expect(await refusal(await createTask(server))).toEqual({
      retryAfter: 1,
      limit: 1,
      tier: 'free',
      windowSeconds: 1,
    });
    // Another key has its own budget.
    await createdTaskId(await createTask(server, undefined, { key: 'sk-other' }));
    advance(800);
    await createdTaskId(await createTask(server));
  });

  it('keeps the 60-second window too, and says how long until it has room', async () => {
    const server = await start({ limits: 'free', taskDurationMs: 100 });
    for (let index = 0; index < 10; index++) {
      await createdTaskId(await createTask(server));
      advance(1_000);
    }
    advance(500);
    // The first of the ten was at 0 s; it is 10.5 s now, so room comes at 60 s.
    expect(await refusal(await createTask(server))).toEqual({
      retryAfter: 50,
      limit: 10,
      tier: 'free',
      windowSeconds: 60,
    });
    advance(49_500);
    await createdTaskId(await createTask(server));
  });

  it('limits recordInfo separately, and refuses a second task in flight with 409', async () => {
    const server = await start({ limits: 'free', taskDurationMs: 10_000 });
    const taskId = await createdTaskId(await createTask(server));
    await recordOf(await recordInfo(server, taskId));
    await recordOf(await recordInfo(server, taskId));
    expect(await refusal(await recordInfo(server, taskId))).toEqual({
      retryAfter: 1,
      limit: 2,
      tier: 'free',
      windowSeconds: 1,
    });
    advance(1_000);
    await expectError(await createTask(server), 409);
    expect(server.stats().rateLimited).toEqual({ createTask: 0, recordInfo: 1 });
  });

  it('records when every request arrived, refused or not, to measure any sliding window', async () => {
    const server = await start({ limits: 'free', taskDurationMs: 100 });
    await createTask(server);
    advance(300);
    await createTask(server);
    advance(900);
    await createTask(server);
    expect(server.arrivals('createTask')).toEqual([
      START_TIME,
      START_TIME + 300,
      START_TIME + 1_200,
    ]);
    expect(server.maxArrivalsInWindow('createTask', 1_000)).toBe(2);
  });
});
