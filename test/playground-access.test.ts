import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { JobCard } from '../src/platforms/playground/room.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';

const TOKEN = 'pg-token-5f1c9a7e2b4d8c03';
let sim: ImageApiSimulator | undefined;
/** Everything a test started, closed after it, the last started first. */
const started: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

/** The playground on an API whose tasks the test can count: a task there is credits spent. */
async function startOnCountedApi(env: Record<string, string> = {}): Promise<PlaygroundHarness> {
  sim = await startImageApiSimulator({ taskDurationMs: 100 });
  started.push(sim);
  const harness = await startPlayground({
    env: { AIGPTIMAGE_API_KEY: 'sk-operator-key-0001', AIGPTIMAGE_BASE_URL: sim.url, ...env },
  });
  started.push(harness);
  return harness;
}

/** The page's address without `?token=`. */
const pageOf = (url: string) => url.replace(/\?.*$/, '');

function commandBody(text: string): string {
  return JSON.stringify({ viewer: 'ada', channel: 'general', text, id: clientId() });
}

function post(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** fetch() will not send another Host header; node:http will. */
function requestWithHost(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { ...headers, host } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject).end();
  });
}

/**
 * Nothing more can have reached the API once a later, allowed command's task is there: the
 * refused ones were answered before it was sent.
 */
async function expectOnlyTaskIs(page: PlaygroundApiClient, prompt: string): Promise<void> {
  await page.command(`/imagine ${prompt}`);
  await page.until(
    () => page.jobs().find((message) => (message.body as JobCard).state === 'done'),
    'the allowed command’s result',
  );
  expect([...sim!.tasks.values()].map((task) => task.input.prompt)).toEqual([prompt]);
}

describe('playground on this machine only (the quick start, no token)', () => {
  it('a page on another site cannot post: hostile Origin or cross-site fetch → 403, no task', async () => {
    const { url } = await startOnCountedApi();
    const hostile: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: `http://evil.example:${new URL(url).port}` },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of hostile) {
      expect((await post(url, 'api/command', commandBody('/imagine stolen'), headers)).status).toBe(
        403,
      );
    }
    const click = JSON.stringify({
      viewer: 'mo',
      messageId: 'abc',
      action: 'delete',
      id: clientId(),
    });
    expect((await post(url, 'api/action', click, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    // The page's own origin is fine, and so is a program that sends no Origin at all.
    const own = await post(url, 'api/command', commandBody('/quota'), {
      origin: new URL(url).origin,
    });
    expect(own.status).toBe(202);
    const page = await PlaygroundApiClient.open(url, 'ada');
    started.push(page);
    await expectOnlyTaskIs(page, 'a fox asked for by the page');
  });

  it('works without any token, as before', async () => {
    const { url } = await startOnCountedApi({ PLAYGROUND_TOKEN: TOKEN });
    expect(url).not.toContain('token');
    expect((await fetch(url)).status).toBe(200);
    const page = await PlaygroundApiClient.open(url, 'ada');
    started.push(page);
    await expectOnlyTaskIs(page, 'a fox on loopback');
  });
});

describe('playground listening beyond this machine (HTTP_HOST=0.0.0.0)', () => {
  const exposed = { HTTP_HOST: '0.0.0.0', PLAYGROUND_TOKEN: TOKEN };

  it('without PLAYGROUND_TOKEN the configuration is refused, naming what to set', () => {
    const refuse = (env: Record<string, string>) => () =>
      loadConfig(env, { requirePlatform: true, offerPlayground: true });
    expect(refuse({ HTTP_HOST: '0.0.0.0' })).toThrow(
      /PLAYGROUND_TOKEN is required: the playground listens beyond this machine \(HTTP_HOST=0\.0\.0\.0\).*set PLAYGROUND_TOKEN to a long random secret.*or HTTP_HOST=127\.0\.0\.1/,
    );
    // Discord interactions over HTTP listen on every interface by default; the playground beside them too.
    const discordHttp = {
      AIGPTIMAGE_API_KEY: 'sk-1',
      DISCORD_TOKEN: 'discord-token',
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      PLAYGROUND: 'true',
    };
    expect(refuse(discordHttp)).toThrow(/PLAYGROUND_TOKEN is required.*or PLAYGROUND=false/);
    expect(refuse({ ...discordHttp, PLAYGROUND: 'false' })).not.toThrow();
    expect(refuse({ HTTP_HOST: '127.0.0.1' })).not.toThrow();
    expect(refuse(exposed)).not.toThrow();
  });

  it('prints its address with the token once; the page trades it for an HttpOnly, SameSite=Strict cookie', async () => {
    const { url, logs } = await startOnCountedApi(exposed);
    expect(url).toMatch(new RegExp(`^http://localhost:\\d+/playground/\\?token=${TOKEN}$`));
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^playground_session=[0-9a-f]{64}; Path=\/playground\/; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(TOKEN);
    // The log says where the page is, never the token.
    expect(logs.join('\n')).toContain('"playgroundUrl":"http://localhost:');
    expect(logs.join('\n')).not.toContain(TOKEN);

    const session = { cookie: cookie.split(';')[0]! };
    const ada = await PlaygroundApiClient.open(pageOf(url), 'ada', session);
    started.push(ada);
    await expectOnlyTaskIs(ada, 'a fox with a session');
  });

  it('without the token or its cookie: 401 everywhere, moderator included, and no task', async () => {
    const { url } = await startOnCountedApi(exposed);
    const page = pageOf(url);
    const wrongCookie = { cookie: `playground_session=${'0'.repeat(64)}` };
    expect((await fetch(page)).status).toBe(401);
    expect((await fetch(`${page}?token=not-the-token`)).headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${page}?token=not-the-token`)).status).toBe(401);
    expect((await fetch(new URL('app.js', page))).status).toBe(401);
    expect((await fetch(new URL('api/events?viewer=mo', page))).status).toBe(401);
    expect(
      (await fetch(new URL('api/events?viewer=ada', page), { headers: wrongCookie })).status,
    ).toBe(401);
    expect((await post(page, 'api/command', commandBody('/imagine free credits'))).status).toBe(
      401,
    );
    expect(
      (await post(page, 'api/command', commandBody('/imagine free credits'), wrongCookie)).status,
    ).toBe(401);

    const cookie = (await fetch(url)).headers.get('set-cookie')!.split(';')[0]!;
    // A cookie is not enough for another site's page, nor for another Host.
    expect(
      (
        await post(page, 'api/command', commandBody('/imagine via evil'), {
          cookie,
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    const port = new URL(page).port;
    expect(await requestWithHost(page, `evil.example:${port}`, { cookie })).toBe(403);
    // Docker and proxies publish the server on a port of their own; the name is what matters.
    expect(await requestWithHost(page, 'localhost:3001', { cookie })).toBe(200);

    const ada = await PlaygroundApiClient.open(page, 'ada', { cookie });
    started.push(ada);
    await expectOnlyTaskIs(ada, 'the one allowed fox');
  });
});
