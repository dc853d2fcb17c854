import { describe, expect, it } from 'vitest';
import { ImageShelf } from '../src/platforms/playground/image-shelf.js';
import { translator } from '../src/i18n/index.js';
import { altText, jobCard } from '../src/platforms/playground/render.js';
import { ChatRoom, type RoomEvent } from '../src/platforms/playground/room.js';

const job = {
  requestId: 'playground-abc',
  prompt: 'a red fox',
  options: { resolution: '2K' as const, aspectRatio: '16:9' as const, private: false },
  user: { key: 'playground:ada', displayName: 'Ada' },
  createdAt: 1_000,
};

describe('playground cards', () => {
  it('a finished card carries the image, its alt text and the buttons; shared copies cannot be shared again', () => {
    const done = { kind: 'done' as const, imageUrls: ['x'], costTimeMs: 1, elapsedMs: 65_000 };
    const card = jobCard(job, done, {
      simulated: true,
      locale: 'en',
      channelId: 'general',
      imageUrl: 'img',
    });
    expect(card).toMatchObject({
      status: 'Done in 1 min 05 s',
      options: '16:9 · 2K',
      image: { url: 'img', alt: 'Simulated placeholder image for the prompt: a red fox' },
    });
    // Issue 12: Edit, Vary and Upscale join the buttons, in RESULT_ACTIONS order.
    expect(card.actions).toEqual([
      { action: 'reroll', label: 'Reroll' },
      { action: 'edit', label: 'Edit' },
      { action: 'vary', label: 'Vary' },
      { action: 'upscale', label: 'Upscale' },
      { action: 'share', label: 'Share to #showcase', channelId: 'showcase' },
      { action: 'delete', label: 'Delete' },
    ]);
    const copy = jobCard(job, done, {
      simulated: false,
      locale: 'en',
      channelId: 'showcase',
      imageUrl: 'img',
      sharedBy: 'Ben',
    });
    expect(copy.actions.map((action) => action.label)).toEqual(['Reroll', 'Delete']);
  });

  it('a waiting card shows its place in line and has no buttons yet', () => {
    const card = jobCard(
      job,
      { kind: 'queued', position: 2 },
      { simulated: true, locale: 'en', channelId: 'general' },
    );
    expect(card).toMatchObject({ status: 'Queued: position 2 in line', actions: [] });
  });

  it('alt text keeps long prompts readable', () => {
    const alt = altText('x'.repeat(5_000), false, translator('en'));
    expect(alt.startsWith('Generated image for the prompt: xxx')).toBe(true);
    expect([...alt].length).toBeLessThan(450);
  });
});

describe('ChatRoom', () => {
  it('edits a message in place, shows private ones to one person, and tells listeners', () => {
    const room = new ChatRoom();
    const events: RoomEvent[] = [];
    room.subscribe((event) => events.push(event));
    const notice = { type: 'notice' as const, tone: 'info' as const, lines: ['hi'] };
    room.upsert({ id: 'a', channelId: 'general', body: notice, postedAt: 5 });
    room.upsert({ id: 'b', channelId: 'general', visibleTo: 'ben', body: notice });
    room.upsert({ id: 'a', channelId: 'general', body: { ...notice, lines: ['edited'] } });
    expect(room.get('a')).toMatchObject({ postedAt: 5, body: { lines: ['edited'] } });
    expect(room.visibleTo('ada').map((message) => message.id)).toEqual(['a']);
    expect(room.visibleTo('ben').map((message) => message.id)).toEqual(['a', 'b']);
    expect(room.remove('a')).toBe(true);
    expect(room.remove('a')).toBe(false);
    expect(events.map((event) => event.type)).toEqual(['upsert', 'upsert', 'upsert', 'remove']);
  });

  it('forgets the oldest messages past its bound', () => {
    const room = new ChatRoom();
    const notice = { type: 'notice' as const, tone: 'info' as const, lines: [] };
    for (let index = 0; index < 510; index++)
      room.upsert({ id: `m${index}`, channelId: 'general', body: notice });
    expect(room.visibleTo('ada')).toHaveLength(500);
    expect(room.get('m0')).toBeUndefined();
    expect(room.get('m509')).toBeDefined();
  });
});

describe('ImageShelf', () => {
  it('drops the oldest images past its byte budget, never the one just added', () => {
    const shelf = new ImageShelf(10);
    const image = (size: number) => ({ bytes: Buffer.alloc(size), contentType: 'image/png' });
    shelf.put('a', image(4));
    shelf.put('b', image(4));
    shelf.put('c', image(4));
    expect([shelf.has('a'), shelf.has('b'), shelf.has('c')]).toEqual([false, true, true]);
    shelf.put('huge', image(50));
    expect(shelf.has('huge')).toBe(true);
    expect(shelf.has('b') || shelf.has('c')).toBe(false);
  });
});
