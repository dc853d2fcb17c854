import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordFake, type DiscordFake } from './fakes/discord/index.js';

/**
 * The fake's rules that admin commands lean on, spoken to in raw HTTP (no discord.js): command
 * registration, channel and role options, member roles, and files and embeds per message.
 */
let fake: DiscordFake;

beforeEach(async () => {
  fake = await startDiscordFake();
});

afterEach(async () => {
  await fake.close();
});

const put = (commands: unknown) =>
  fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bot ${fake.token}` },
    body: JSON.stringify(commands),
  });

const option = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 3,
  name,
  description: 'An option',
  ...extra,
});

const sub = (name: string, options: unknown[] = []) => ({
  type: 1,
  name,
  description: 'A subcommand',
  options,
});

const admin = (options: unknown[]) => [{ name: 'admin', description: 'Admin things', options }];

/** The payload Discord POSTs to a bot's interactions endpoint, as a stand-in endpoint receives it. */
async function receiveOneInteraction(
  act: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 5, data: { flags: 64 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    fake.interactionsEndpoint = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      privateKey: generateKeyPairSync('ed25519').privateKey,
    };
    await act();
    return await fake.waitFor(() => body, 'the interaction');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('the Discord fake registers commands as Discord does', () => {
  it('refuses what Discord refuses and takes the rest', async () => {
    const refused = [
      admin([option('later'), option('first', { required: true })]),
      admin(Array.from({ length: 26 }, (_, index) => option(`o${index}`))),
      admin([
        option('pick', {
          choices: Array.from({ length: 26 }, (_, index) => ({
            name: `c${index}`,
            value: `c${index}`,
          })),
        }),
      ]),
      admin([sub('one'), option('loose')]),
      admin([sub('one', [sub('two')])]),
      admin([option('Upper')]),
      admin([option('text', { description: 'x'.repeat(101) })]),
      admin([option('dup'), option('dup')]),
      admin([option('kind', { channel_types: [0] })]),
      // Over 4,000 characters of names and descriptions in all.
      admin(
        Array.from({ length: 25 }, (_, index) =>
          sub(`s${index}`, [
            option('text', { description: 'y'.repeat(100) }),
            option('more', { description: 'z'.repeat(100) }),
          ]),
        ),
      ),
    ];
    for (const commands of refused) {
      const response = await put(commands);
      expect(response.status, JSON.stringify(commands).slice(0, 120)).toBe(400);
      expect(((await response.json()) as { code: number }).code).toBe(50035);
    }
    const valid = admin([
      sub('channels', [
        option('mode', { required: true }),
        { type: 7, name: 'channel', description: 'A channel', channel_types: [0, 5] },
      ]),
      sub('roles', [{ type: 8, name: 'role', description: 'A role' }]),
    ]);
    expect((await put(valid)).status).toBe(200);
  });

  it('offers only the channel types an option names, and resolves channels, roles and member roles', async () => {
    await put(
      admin([
        sub('where', [
          { type: 7, name: 'channel', description: 'A channel', channel_types: [0] },
          { type: 8, name: 'role', description: 'A role' },
        ]),
      ]),
    );
    const user = fake.user('admin');
    const voice = fake.addChannel({ name: 'voice', type: 2 });
    await expect(
      fake.runCommand({ name: 'admin', subcommand: 'where', user, options: { channel: voice } }),
    ).rejects.toThrow(/does not offer channels of type 2/);
    const text = fake.addChannel({ name: 'art' });
    const role = fake.role('artists');
    const received = await receiveOneInteraction(() =>
      fake.runCommand({
        name: 'admin',
        subcommand: 'where',
        user,
        memberRoles: [role.id],
        options: { channel: text, role },
      }),
    );
    expect(received.member).toMatchObject({ roles: [role.id] });
    expect(received.data).toMatchObject({
      options: [
        {
          name: 'where',
          options: [
            { name: 'channel', type: 7, value: text.id },
            { name: 'role', type: 8, value: role.id },
          ],
        },
      ],
      resolved: {
        channels: { [text.id]: { id: text.id, name: 'art', type: 0 } },
        roles: { [role.id]: { id: role.id, name: 'artists' } },
      },
    });
  });
});

describe('the Discord fake holds messages to their limits', () => {
  it('takes at most 10 files and 10 embeds in one message', async () => {
    const send = (files: number, embeds: number) => {
      const form = new FormData();
      form.append(
        'payload_json',
        JSON.stringify({
          content: 'files',
          embeds: Array.from({ length: embeds }, () => ({ title: 'x' })),
        }),
      );
      for (let index = 0; index < files; index++)
        form.append(`files[${index}]`, new Blob([Buffer.from('a,b\r\n')]), `f${index}.csv`);
      return fetch(`${fake.apiUrl}/v10/channels/${fake.defaultChannelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${fake.token}` },
        body: form,
      });
    };
    expect((await send(11, 0)).status).toBe(400);
    expect((await send(0, 11)).status).toBe(400);
    expect((await send(10, 10)).status).toBe(200);
  });
});
