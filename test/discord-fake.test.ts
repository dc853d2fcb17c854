import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  startDiscordFake,
  type DiscordFake,
  type InteractionHandle,
} from './fakes/discord/index.js';

/**
 * The fake holds the bot to Discord's rules, so these tests speak raw HTTP and WebSocket to it
 * (no discord.js): a rule the fake forgot to enforce would let the bot tests pass falsely.
 */
let fake: DiscordFake;
let socket: WebSocket | undefined;

beforeEach(async () => {
  fake = await startDiscordFake({
    callbackDeadlineMs: 1_000,
    tokenTtlMs: 1_500,
    attachmentSizeLimit: 1_000,
  });
});

afterEach(async () => {
  socket?.close();
  socket = undefined;
  await fake.close();
});

/** A minimal gateway client: HELLO, IDENTIFY, READY. */
async function connect(
  token = fake.token,
): Promise<{ events: Array<{ t?: string; d?: unknown }>; closeCode?: number }> {
  const gateway = (await (
    await fetch(`${fake.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${fake.token}` },
    })
  ).json()) as { url: string };
  const state: { events: Array<{ t?: string; d?: unknown; op?: number }>; closeCode?: number } = {
    events: [],
  };
  socket = new WebSocket(`${gateway.url}?v=10&encoding=json`);
  socket.on('message', (raw: Buffer) => {
    const payload = JSON.parse(raw.toString('utf8')) as { op: number; t?: string; d?: unknown };
    state.events.push(payload);
    if (payload.op === 10)
      socket!.send(JSON.stringify({ op: 2, d: { token, intents: 0, properties: {} } }));
  });
  socket.on('close', (code) => (state.closeCode = code));
  await fake.waitFor(
    () => state.events.find((event) => event.t === 'READY') ?? state.closeCode,
    'READY or close',
  );
  return state;
}

async function command(): Promise<InteractionHandle> {
  const registered = await fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bot ${fake.token}` },
    body: JSON.stringify([{ name: 'ping', description: 'Answers pong' }]),
  });
  expect(registered.status).toBe(200);
  return fake.runCommand({ name: 'ping', user: fake.user('alice') });
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${fake.apiUrl}/v10${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the Discord fake enforces Discord’s rules', () => {
  it('refuses IDENTIFY with a wrong token (4004)', async () => {
    const state = await connect('wrong');
    expect(state.closeCode).toBe(4004);
  });

  it('accepts one callback per interaction (40060), and only within the deadline (10062)', async () => {
    await connect();
    const first = await command();
    const callbackPath = `/interactions/${first.id}/${first.interaction.token}/callback`;
    expect((await post(callbackPath, { type: 5 })).status).toBe(204);
    const again = await post(callbackPath, { type: 5 });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });

    const late = await command();
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const tooLate = await post(`/interactions/${late.id}/${late.interaction.token}/callback`, {
      type: 5,
    });
    expect(tooLate.status).toBe(404);
    expect(await tooLate.json()).toMatchObject({ code: 10062 });
  });

  it('expires interaction tokens (50027) and limits upload size (40005)', async () => {
    await connect();
    const handle = await command();
    const token = handle.interaction.token;
    await post(`/interactions/${handle.id}/${token}/callback`, { type: 5 });
    const edit = (form: FormData) =>
      fetch(`${fake.apiUrl}/v10/webhooks/${fake.applicationId}/${token}/messages/@original`, {
        method: 'PATCH',
        body: form,
      });

    const big = new FormData();
    big.append(
      'payload_json',
      JSON.stringify({ content: 'x', attachments: [{ id: 0, filename: 'a.png' }] }),
    );
    big.append('files[0]', new Blob([new Uint8Array(2_000)], { type: 'image/png' }), 'a.png');
    const tooLarge = await edit(big);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ code: 40005 });

    const small = new FormData();
    small.append(
      'payload_json',
      JSON.stringify({ content: 'ok', attachments: [{ id: 0, filename: 'a.png' }] }),
    );
    small.append('files[0]', new Blob([new Uint8Array(500)], { type: 'image/png' }), 'a.png');
    expect((await edit(small)).status).toBe(200);
    expect(handle.response()!.revisions.at(-1)!.attachments[0]!.size).toBe(500);

    await new Promise((resolve) => setTimeout(resolve, 1_550));
    const expired = await edit(small);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 50027 });
  });

  it('answers 429 with retry_after on demand, and requires the bot token on channel routes', async () => {
    fake.rateLimit({ method: 'POST', path: /^\/channels\//, retryAfterMs: 1_500 });
    const auth = { authorization: `Bot ${fake.token}` };
    const limited = await post(
      `/channels/${fake.defaultChannelId}/messages`,
      { content: 'hi' },
      auth,
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1.5');
    expect(await limited.json()).toMatchObject({ retry_after: 1.5, global: false });
    expect(
      (await post(`/channels/${fake.defaultChannelId}/messages`, { content: 'hi' }, auth)).status,
    ).toBe(200);
    expect(
      (await post(`/channels/${fake.defaultChannelId}/messages`, { content: 'hi' })).status,
    ).toBe(401);
  });

  it('holds components and forms (modals) to Discord’s limits', async () => {
    await connect();
    const auth = { authorization: `Bot ${fake.token}` };
    const button = (id: string) => ({ type: 2, style: 2, label: id.slice(0, 10), custom_id: id });
    const row = (count: number, prefix = 'b') => ({
      type: 1,
      components: Array.from({ length: count }, (_, index) => button(`${prefix}${index}`)),
    });
    const send = (components: unknown[]) =>
      post(`/channels/${fake.defaultChannelId}/messages`, { content: 'x', components }, auth);
    expect((await send([row(5), row(1, 'c')])).status).toBe(200);
    for (const tooMuch of [[row(6)], Array.from({ length: 6 }, (_, i) => row(1, `r${i}`))])
      expect(await (await send(tooMuch)).json()).toMatchObject({ code: 50035 });
    expect((await send([{ type: 1, components: [button('x'.repeat(101))] }])).status).toBe(400);

    const form = (title: string, label: string) => ({
      type: 9,
      data: {
        custom_id: 'edit:1',
        title,
        components: [
          {
            type: 18,
            label,
            component: { type: 4, custom_id: 'prompt', style: 2, max_length: 4_000 },
          },
        ],
      },
    });
    const handle = await command();
    const callbackPath = `/interactions/${handle.id}/${handle.interaction.token}/callback`;
    expect((await post(callbackPath, form('t'.repeat(46), 'What?'))).status).toBe(400);
    expect((await post(callbackPath, form('Edit', 'l'.repeat(46)))).status).toBe(400);
    expect((await post(callbackPath, form('Edit', 'What?'))).status).toBe(204);
    expect(handle.interaction.modal).toMatchObject({ custom_id: 'edit:1', title: 'Edit' });

    // A sent form is answered like any interaction, but never with another form.
    expect(() => fake.submitModal(handle, { prompt: '' })).toThrow(/required/);
    const sent = await fake.submitModal(handle, { prompt: 'red' });
    const sentPath = `/interactions/${sent.id}/${sent.interaction.token}/callback`;
    expect((await post(sentPath, form('Edit', 'What?'))).status).toBe(400);
    expect((await post(sentPath, { type: 5 })).status).toBe(204);
  });

  it('registers a message command only without a description or options', async () => {
    const put = (body: unknown) =>
      fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bot ${fake.token}` },
        body: JSON.stringify(body),
      });
    expect((await put([{ name: 'Edit image', type: 3, description: 'Edits' }])).status).toBe(400);
    expect((await put([{ name: 'Edit image', description: 'a slash command' }])).status).toBe(400);
    expect((await put([{ name: 'Edit image', type: 3 }])).status).toBe(200);
  });
});
