import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { showsImage, type DiscordTestBed, testBedPerTest } from './fakes/discord/harness.js';
import { current, MessageFlag, textOf } from './fakes/discord/index.js';
import { apiUser } from './fakes/discord/payloads.js';
import { TEST_KEY } from './helpers/core.js';
import { asRead, HIDDEN_CHARACTERS, liveDiscordMarkdown } from './helpers/discord-markdown.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

const ERROR_LEVEL = 50;

describe('Discord: echoed text never renders', () => {
  it('markdown, bidi and zero-width characters in a prompt are shown as plain text in every revision', async () => {
    bed = await beds.start();
    const prompt =
      '# Big [safe](https://evil.example/x) ||spoiler|| `code` **bold** ~~gone~~ <#123456789012345678> https://evil.example/raw a\u202Efox\u200Bcat\u2066!\uFEFF';
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    for (const revision of message.revisions.slice(1)) {
      const shown = textOf(revision);
      expect(liveDiscordMarkdown(shown)).toEqual([]);
      expect(shown).not.toMatch(HIDDEN_CHARACTERS);
    }
    // Still the prompt as typed, minus the hidden characters.
    const description = String(current(message).embeds[0]!.description);
    expect(asRead(description)).toBe(
      '# Big [safe](https://evil.example/x) ||spoiler|| `code` **bold** ~~gone~~ <#123456789012345678> https://evil.example/raw afoxcat!',
    );
  });

  it('an API refusal with markdown and the key in its message is told privately, inert and without the key', async () => {
    bed = await beds.start();
    bed.sim.inject({
      endpoint: 'createTask',
      kind: {
        type: 'status',
        status: 400,
        msg: `[click here](https://evil.example) key ${TEST_KEY} refused\n# Heading\n-# small\n> quote\n- item ||x||\u202E`,
      },
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a harmless cat' },
    });
    const notice = await reply.waitForText('The image service rejected this request');
    const shown = textOf(current(notice));
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(shown).not.toContain(TEST_KEY);
    expect(asRead(shown)).toContain('key [REDACTED] refused');
    expect(liveDiscordMarkdown(shown)).toEqual([]);
    expect(shown).not.toMatch(HIDDEN_CHARACTERS);
    expect(bed.rawLogs.join('')).not.toContain(TEST_KEY);
  });
});

describe('Discord HTTP interactions: signed but not an interaction we handle', () => {
  function interaction(overrides: Record<string, unknown>): Record<string, unknown> {
    const fake = bed!.fake;
    return {
      id: BigInt(`0x${randomBytes(7).toString('hex')}`).toString(),
      application_id: fake.applicationId,
      type: 2,
      token: `itoken-${randomBytes(12).toString('hex')}`,
      version: 1,
      channel_id: fake.defaultChannelId,
      user: apiUser(fake.user('mallory')),
      data: {
        id: '1',
        name: 'imagine',
        type: 1,
        options: [{ name: 'prompt', type: 3, value: 'x' }],
      },
      ...overrides,
    };
  }

  it('answers 400 at once, logs no error, and the next real interaction works', async () => {
    bed = await beds.start({ httpInteractions: true });
    const malformed: Array<[string, string]> = [
      ['not JSON', '{"type":'],
      ['an array', '[]'],
      ['null', 'null'],
      ['no id', JSON.stringify({ type: 2 })],
      ['an unknown interaction type', JSON.stringify(interaction({ type: 99 }))],
      ['no data', JSON.stringify(interaction({ data: undefined }))],
      ['no user', JSON.stringify(interaction({ user: undefined, member: {} }))],
      [
        'an unknown command type',
        JSON.stringify(interaction({ data: { id: '1', name: 'imagine', type: 99 } })),
      ],
      [
        'an unknown component type',
        JSON.stringify(interaction({ type: 3, data: { custom_id: 'x', component_type: 99 } })),
      ],
      [
        'options discord.js cannot read',
        JSON.stringify(
          interaction({ data: { id: '1', name: 'imagine', type: 1, options: 'oops' } }),
        ),
      ],
    ];
    for (const [what, body] of malformed) {
      const answer = await bed.fake.postSigned(body);
      expect({ what, status: answer.status }).toEqual({ what, status: 400 });
    }
    expect(bed.logs.filter((line) => line.level >= ERROR_LEVEL)).toEqual([]);
    expect(bed.sim.requests).toEqual([]);

    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'still working' },
    });
    await reply.waitForResponse(showsImage, 'the result');
  });
});
