import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, apiErrorToUserError } from '../src/core/api/errors.js';
import { ImageApiClient } from '../src/core/api/client.js';
import { resolveApiLimits, TIER_LIMITS } from '../src/core/api/limits.js';
import { BudgetGate } from '../src/core/budget/api-budget.js';
import { LocalWindows } from '../src/core/budget/local-windows.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { TEST_KEY } from './helpers/core.js';

let sim: ImageApiSimulator | undefined;
let client: ImageApiClient | undefined;
let server: Server | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  client = undefined;
  sim = undefined;
  server = undefined;
});

async function simulatedClient(
  options: Partial<ConstructorParameters<typeof ImageApiClient>[0]> = {},
) {
  sim = await startImageApiSimulator({ taskDurationMs: 0 });
  client = new ImageApiClient({
    baseUrl: sim.url,
    apiKey: TEST_KEY,
    createRetry: { maxAttempts: 3, baseMs: 5, capMs: 10 },
    ...options,
  });
  return { sim, client };
}

/** A server answering recordInfo with a fixed body, for shapes the simulator never sends. */
async function clientAnswering(status: number, body: string, contentType = 'application/json') {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  client = new ImageApiClient({ baseUrl: `http://127.0.0.1:${address.port}`, apiKey: TEST_KEY });
  return client;
}

const record = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    code: 200,
    msg: 'success',
    data: {
      taskId: 't1',
      model: 'gpt-image-2-text-to-image',
      state: 'waiting',
      param: '{}',
      resultJson: null,
      failCode: null,
      failMsg: null,
      costTime: null,
      completeTime: null,
      createTime: 1,
      ...overrides,
    },
  });

describe('ImageApiClient', () => {
  it('creates a task and reads its result, parsing the JSON-in-a-string fields', async () => {
    const { client } = await simulatedClient();
    const taskId = await client.createTask(
      {
        prompt: 'a fox',
        options: { resolution: '2K', aspectRatio: '1:1', quality: 'high', outputFormat: 'webp' },
      },
      { requestId: 'r1' },
    );
    const status = await client.getTask(taskId);
    expect(status).toMatchObject({ taskId, state: 'success', failCode: null });
    expect(status.resultUrls[0]).toMatch(new RegExp(`/cdn/${taskId}/1\\.png$`));
    expect(sim!.tasks.get(taskId)?.input).toEqual({
      prompt: 'a fox',
      resolution: '2K',
      aspect_ratio: '1:1',
      quality: 'high',
      output_format: 'webp',
    });
  });

  it('sends the API key as a Bearer token and the request id as X-Request-ID', async () => {
    const { client, sim } = await simulatedClient();
    await client.createTask(
      { prompt: 'a fox', options: { resolution: '1K' } },
      { requestId: 'interaction-123' },
    );
    expect(sim.requests[0]).toMatchObject({
      authorization: `Bearer ${TEST_KEY}`,
      requestId: 'interaction-123',
    });
  });

  it('keeps a path prefix in the base URL, for operators behind a proxy', async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 200, msg: 'success', data: { taskId: request.url } }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    client = new ImageApiClient({
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/proxy/`,
      apiKey: TEST_KEY,
    });
    expect(
      await client.createTask({ prompt: 'a', options: { resolution: '1K' } }, { requestId: 'r' }),
    ).toBe('/proxy/api/v1/jobs/createTask');
  });

  for (const style of ['HTTP status', 'body code'] as const) {
    it.each([
      [400, 'invalid_request', false],
      [401, 'unauthorized', false],
      [402, 'insufficient_credits', false],
      [404, 'not_found', false],
      [409, 'active_task_limit', false],
      [422, 'invalid_request', false],
      [429, 'rate_limited', true],
      [500, 'server_error', true],
    ] as const)(`maps %i (${style}) to %s`, async (status, kind, retryable) => {
      const { client, sim } = await simulatedClient({
        createRetry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
      });
      sim.inject({
        endpoint: 'createTask',
        kind:
          style === 'HTTP status'
            ? { type: 'status', status, msg: 'from the API', retryAfter: 7 }
            : { type: 'bodyCode', code: status, msg: 'from the API' },
      });
      const error = await client
        .createTask({ prompt: 'a fox', options: { resolution: '1K' } }, { requestId: 'r' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ kind, status, apiMessage: 'from the API', retryable });
      if (style === 'HTTP status') expect((error as ApiError).retryAfterMs).toBe(7_000);
      // Whatever the kind, the user gets a catalogued sentence that says what to do.
      expect(apiErrorToUserError(error as ApiError).message).toMatch(/\.$/);
    });
  }

  it('never retries what cannot succeed: 400, 401, 402 and 422 are sent once', async () => {
    const { client, sim } = await simulatedClient();
    for (const status of [400, 401, 402, 422] as const) {
      sim.inject({ endpoint: 'createTask', kind: { type: 'status', status } });
      await expect(
        client.createTask(
          { prompt: 'a', options: { resolution: '1K' } },
          { requestId: `r${status}` },
        ),
      ).rejects.toBeInstanceOf(ApiError);
    }
    expect(sim.requests.filter((request) => request.endpoint === 'createTask')).toHaveLength(4);
  });

  it('times out a hanging call instead of waiting forever', async () => {
    const { client, sim } = await simulatedClient({
      timeoutMs: 200,
      createRetry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
    });
    sim.inject({ endpoint: 'recordInfo', kind: { type: 'hang' } });
    const taskId = await client.createTask(
      { prompt: 'a', options: { resolution: '1K' } },
      { requestId: 'r' },
    );
    await expect(client.getTask(taskId)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it.each([
    [
      'an HTML page with HTTP 200',
      200,
      '<!DOCTYPE html><html><body>Oops</body></html>',
      'text/html',
      /HTML page instead of JSON/,
    ],
    [
      'truncated JSON',
      200,
      '{"code":200,"msg":"success","data":{"taskId":"t1","sta',
      'application/json',
      /not the documented JSON/,
    ],
    [
      'resultJson that does not parse',
      200,
      record({ state: 'success', resultJson: '{"resultUrls":[' }),
      'application/json',
      /resultJson: is not valid JSON/,
    ],
    [
      'success with no URLs',
      200,
      record({ state: 'success', resultJson: '{"resultUrls":[]}' }),
      'application/json',
      /no result URLs/,
    ],
    [
      'success with no resultJson',
      200,
      record({ state: 'success' }),
      'application/json',
      /no resultJson/,
    ],
    [
      'a record with no taskId',
      200,
      JSON.stringify({ code: 200, data: { state: 'waiting' } }),
      'application/json',
      /taskId/,
    ],
    ['an empty body', 200, '', 'application/json', /not the documented JSON/],
  ])(
    'turns %s into malformed_response, never a crash',
    async (_name, status, body, contentType, detail) => {
      const client = await clientAnswering(status, body, contentType);
      const error = await client.getTask('t1').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'malformed_response' });
      expect((error as Error).message).toMatch(detail);
    },
  );

  it('tolerates unknown extra fields and an unparseable param echo', async () => {
    const client = await clientAnswering(
      200,
      record({
        extra: { nested: true },
        param: 'not json',
        state: 'success',
        resultJson: '{"resultUrls":["https://cdn.example.com/a.png"],"seed":1}',
      }),
    );
    expect(await client.getTask('t1')).toMatchObject({
      state: 'success',
      resultUrls: ['https://cdn.example.com/a.png'],
    });
  });

  it('treats an undocumented state as still running rather than failing a job that may be progressing', async () => {
    const client = await clientAnswering(200, record({ state: 'generating' }));
    expect(await client.getTask('t1')).toMatchObject({ state: 'waiting', rawState: 'generating' });
  });

  it('says the HTTP status of an error page that is not JSON', async () => {
    const client = await clientAnswering(
      502,
      '<html><body>502 Bad Gateway</body></html>',
      'text/html',
    );
    const error = await client.getTask('t1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'server_error', status: 502 });
    expect((error as Error).message).toBe(
      'recordInfo answered HTTP 502 with an HTML page instead of JSON',
    );
  });
});

describe("ImageApiClient and a 429 naming the key's limits", () => {
  it("reads the body's retryAfter, limit, tier and window", async () => {
    const answering = await clientAnswering(
      429,
      JSON.stringify({
        code: 429,
        msg: 'rate limit exceeded',
        data: { retryAfter: 17, limit: 180, tier: 'basic', windowSeconds: 60 },
      }),
    );
    const error = await answering.getTask('task-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 17_000,
      rateLimit: { retryAfterSeconds: 17, limit: 180, tier: 'basic', windowSeconds: 60 },
    });
  });

  it('lowers the budget it was given and waits as told before trying again', async () => {
    sim = await startImageApiSimulator({ taskDurationMs: 0, limits: 'free' });
    client = new ImageApiClient({
      baseUrl: sim.url,
      apiKey: TEST_KEY,
      createRetry: { maxAttempts: 3, baseMs: 5, capMs: 10 },
    });
    const budget = new BudgetGate({
      limits: resolveApiLimits('basic'),
      backend: new LocalWindows(),
    });
    const input = { prompt: 'a fox', options: { resolution: '1K' as const } };
    await client.createTask(input, { requestId: 'first', budget });
    // Basic would allow five a second; the free key answers 429 to the second, then takes it.
    await client.createTask(input, { requestId: 'second', budget });
    expect(sim.stats().rateLimited).toEqual({ createTask: 1, recordInfo: 0 });
    expect(budget.limits).toEqual(TIER_LIMITS.free);
    const [, refused, retried] = sim.arrivals('createTask');
    expect(retried! - refused!).toBeGreaterThanOrEqual(1_000);
    await budget.close();
  });
});
