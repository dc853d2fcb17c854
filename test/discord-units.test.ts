import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../src/core/types.js';
import { redactTokens } from '../src/platforms/discord/api-errors.js';
import { customId, parseCustomId } from '../src/platforms/discord/custom-id.js';
// Discord's own pacer made way for the one every platform's delivery goes through.
import { ProgressPacer as EditPacer } from '../src/conversation/pacing.js';
import { renderDone, renderStatus, resultButtons } from '../src/platforms/discord/render.js';
import type { DiscordTarget } from '../src/platforms/discord/target.js';

const target: DiscordTarget = {
  platform: 'discord',
  applicationId: '1',
  interactionToken: 'secret-token',
  channelId: '2',
  messageId: '3',
  guildId: '4',
  userId: '5',
  ephemeral: false,
  tokenExpiresAt: Date.now() + 60_000,
  attachmentSizeLimit: 10 * 1024 * 1024,
};

function job(prompt: string): JobRecord {
  return {
    requestId: '1234567890123456789',
    user: { key: 'discord:5', displayName: 'Alice' },
    prompt,
    options: { resolution: '2K', aspectRatio: '16:9', private: false },
    target,
    cost: 2,
    state: 'waiting',
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('custom ids', () => {
  it('round-trips every action and stays within Discord’s 100 characters', () => {
    for (const action of [
      'reroll',
      'edit',
      'vary',
      'upscale',
      'share',
      'share-to',
      'delete',
      'editdraft',
    ] as const) {
      const id = customId(action, '1234567890123456789');
      expect(id.length).toBeLessThanOrEqual(100);
      expect(parseCustomId(id)).toEqual({ action, requestId: '1234567890123456789' });
    }
  });

  it('rejects anything it did not make', () => {
    for (const id of [
      '',
      'reroll',
      'reroll:',
      'zoom:123',
      'reroll:abc',
      'delete:1:2',
      `reroll:${'9'.repeat(30)}`,
    ]) {
      expect(parseCustomId(id)).toBeUndefined();
    }
  });
});

describe('EditPacer', () => {
  it('allows one progress edit per interval per message, and waits out a rate limit', () => {
    let now = 0;
    const pacer = new EditPacer(3_000, () => now);
    expect(pacer.tryClaim('a')).toBe(true);
    expect(pacer.tryClaim('b')).toBe(true);
    now = 2_999;
    expect(pacer.tryClaim('a')).toBe(false);
    now = 3_000;
    expect(pacer.tryClaim('a')).toBe(true);
    pacer.holdFor('a', 10_000);
    now = 12_999;
    expect(pacer.tryClaim('a')).toBe(false);
    now = 13_000;
    expect(pacer.tryClaim('a')).toBe(true);
    pacer.forget('a');
    expect(pacer.tryClaim('a')).toBe(true);
  });
});

describe('rendering', () => {
  it('truncates a huge prompt on a code-point boundary and never pings', () => {
    const prompt = '🦊'.repeat(5_000);
    const body = renderStatus(job(prompt), { kind: 'generating', elapsedMs: 23_000 }, target);
    const description = body.embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(4_096);
    expect(description.endsWith('…')).toBe(true);
    expect(description.slice(0, -1)).toMatch(/^(🦊)+$/u);
    expect(body.embeds[0]!.title).toBe('Generating… 23 s');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('puts the upload in the embed by name and replaces older attachments', () => {
    const body = renderDone(
      job('a fox'),
      { kind: 'done', imageUrls: ['http://x/a.png'], costTimeMs: 1, elapsedMs: 65_000 },
      target,
      { kind: 'upload', fileName: 'a.png' },
    );
    expect(body.embeds[0]!.image).toEqual({ url: 'attachment://a.png' });
    expect(body.attachments).toEqual([{ id: 0, filename: 'a.png' }]);
    expect(body.embeds[0]!.fields).toContainEqual({
      name: 'Time taken',
      value: '1 min 05 s',
      inline: true,
    });
  });

  it('says what an image was made from while it waits and when it is done, escaped', () => {
    const edit: JobRecord = {
      ...job('make it *red*'),
      sources: [{ url: 'https://x/r.png', name: 'r.png', previewUrl: 'https://x/r.png' }],
      derivedFrom: { kind: 'edit', parentId: '9', parentPrompt: 'a _kite_' },
    };
    const status = renderStatus(edit, { kind: 'generating', elapsedMs: 0 }, target).embeds[0]!;
    const done = renderDone(
      edit,
      { kind: 'done', imageUrls: ['http://x/a.png'], costTimeMs: 1, elapsedMs: 1 },
      target,
      { kind: 'upload', fileName: 'a.png' },
    ).embeds[0]!;
    for (const embed of [status, done]) {
      expect(embed.fields).toContainEqual({
        name: 'Made from',
        value: 'Edited from “a \\_kite\\_”\n[the earlier image](https://x/r.png)',
        inline: false,
      });
      expect(embed.thumbnail).toEqual({ url: 'https://x/r.png' });
    }
  });

  it('offers Delete only on public results, and Upscale until 4K', () => {
    const labels = (ephemeral: boolean, resolution: '1K' | '2K' | '4K' = '2K') =>
      resultButtons({ requestId: '1', options: { resolution, private: ephemeral } }, ephemeral)
        .flatMap((row) => row.components)
        .map((button) => ('label' in button ? button.label : ''));
    expect(labels(false)).toEqual(['Reroll', 'Edit', 'Vary', 'Upscale', 'Share', 'Delete']);
    expect(labels(true)).toEqual(['Reroll', 'Edit', 'Vary', 'Upscale', 'Share']);
    expect(labels(false, '4K')).toEqual(['Reroll', 'Edit', 'Vary', 'Share', 'Delete']);
    // Discord fits five buttons in a row.
    for (const row of resultButtons(
      { requestId: '1', options: { resolution: '1K', private: false } },
      false,
    ))
      expect(row.components.length).toBeLessThanOrEqual(5);
  });
});

describe('redactTokens', () => {
  it('hides interaction tokens in webhook and callback URLs', () => {
    expect(
      redactTokens('https://discord.com/api/v10/webhooks/123/aW50ZXJhY3Rpb24/messages/@original'),
    ).toBe('https://discord.com/api/v10/webhooks/123/[token]/messages/@original');
    expect(redactTokens('/interactions/456/tok.en-_x/callback?with_response=true')).toBe(
      '/interactions/456/[token]/callback?with_response=true',
    );
    expect(redactTokens('/channels/1/messages/2')).toBe('/channels/1/messages/2');
  });
});
