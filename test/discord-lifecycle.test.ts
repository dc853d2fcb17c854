import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTaskCalls,
  imageUrlOf,
  showsImage,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, textOf } from './fakes/discord/index.js';
import { jobFinished, redeliveryDropped } from './helpers/logged.js';

let bed: DiscordTestBed | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'discord-lifecycle-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));
// Registered after the folder's removal, so it runs first: the bot closes its database, then it goes.
const beds = testBedPerTest();

const sqliteStore = () => `sqlite://${join(dir, 'bot.sqlite')}`;

describe('a job that outlives its interaction token', () => {
  it('edits the same message with the bot token once the token has expired', async () => {
    bed = await beds.start({ fake: { tokenTtlMs: 300 }, sim: { taskDurationMs: 700 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'slow and steady' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const result = current(message);
    expect(result.via).toBe('channel');
    expect(result.attachments).toHaveLength(1);
    expect(result.pings).toEqual({ everyone: false, users: [], roles: [] });
    // The expired token was tried and refused, as Discord would.
    expect(bed.fake.requests.some((request) => request.errorCode === 50027)).toBe(true);
    expect(bed.fake.messagesIn(bed.fake.defaultChannelId)).toHaveLength(1);
  });

  it('posts a new message mentioning only the requester when the original is gone', async () => {
    bed = await beds.start({ fake: { tokenTtlMs: 300 }, sim: { taskDurationMs: 700 } });
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: '@everyone look at this' },
    });
    await reply.waitForCallback();
    bed.fake.deleteMessage(reply.response()!.id);
    const posted = await bed.fake.waitFor(
      () => bed!.fake.messagesIn(bed!.fake.defaultChannelId).find((m) => showsImage(current(m))),
      'a new result message',
    );
    const result = current(posted);
    expect(result.content).toContain(`<@${alice.id}>`);
    expect(result.pings).toEqual({ everyone: false, users: [alice.id], roles: [] });
    expect(result.attachments).toHaveLength(1);
  });

  it("links the image when the channel's real upload limit is below what the interaction said", async () => {
    bed = await beds.start({
      fake: { tokenTtlMs: 300, attachmentSizeLimit: 20_000 },
      sim: { taskDurationMs: 700, imageMinBytes: 40_000 },
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a huge mural' },
      attachmentSizeLimit: 10 * 1024 * 1024,
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const result = current(message);
    expect(bed.fake.requests.some((request) => request.errorCode === 40005)).toBe(true);
    expect(result.attachments).toHaveLength(0);
    expect(imageUrlOf(result)).toMatch(new RegExp(`^${bed.sim.url}/`));
    expect(textOf(result)).toContain("larger than Discord's upload limit here");
  });

  it('sends the result by DM when the bot cannot reach the channel after the token expired', async () => {
    bed = await beds.start({ fake: { tokenTtlMs: 300 }, sim: { taskDurationMs: 700 } });
    const hidden = bed.fake.addChannel({ name: 'hidden', botCanPost: false });
    const alice = bed.fake.user('alice');
    await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      channelId: hidden.id,
      options: { prompt: 'behind closed doors' },
    });
    const dm = await bed.fake.waitFor(() => bed!.fake.dmChannelOf(alice.id), 'a DM channel');
    const [message] = await bed.fake.waitFor(() => {
      const messages = bed!.fake.messagesIn(dm.id);
      return messages.length > 0 ? messages : undefined;
    }, 'a DM');
    expect(showsImage(current(message!))).toBe(true);
    expect(current(message!).pings).toEqual({ everyone: false, users: [alice.id], roles: [] });
  });

  it('sends a private result by DM once the token has expired', async () => {
    bed = await beds.start({ fake: { tokenTtlMs: 300 }, sim: { taskDurationMs: 700 } });
    const alice = bed.fake.user('alice');
    await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'just for me', private: true },
    });
    const dm = await bed.fake.waitFor(() => bed!.fake.dmChannelOf(alice.id), 'a DM channel');
    const [message] = await bed.fake.waitFor(() => {
      const messages = bed!.fake.messagesIn(dm.id);
      return messages.length > 0 ? messages : undefined;
    }, 'a DM');
    expect(showsImage(current(message!))).toBe(true);
    expect(current(message!).pings.users).toEqual([alice.id]);
    // Nothing private leaked into the channel.
    const channel = bed.fake.messagesIn(bed.fake.defaultChannelId);
    expect(channel.every((m) => !showsImage(current(m)))).toBe(true);
  });
});

describe('restarts', () => {
  it('delivers a generation that was in flight during a restart, exactly once', async () => {
    bed = await beds.start({ storeUrl: sqliteStore(), sim: { taskDurationMs: 1_500 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'through the restart' },
    });
    await bed.fake.waitFor(() => createTaskCalls(bed!.sim)[0], 'the task');
    await bed.restart();
    expect(bed.fake.identifyCount).toBe(2);
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    await jobFinished(bed.logs, reply.id);
    expect(message.revisions.filter(showsImage)).toHaveLength(1);
    expect(bed.sim.createdTaskCount).toBe(1);
    expect(new Set(createTaskCalls(bed.sim).map((call) => call.requestId))).toEqual(
      new Set([reply.id]),
    );
  });

  it('keeps buttons working after a restart: Reroll and Delete', async () => {
    bed = await beds.start({ storeUrl: sqliteStore() });
    const alice = bed.fake.user('alice');
    const bob = bed.fake.user('bob');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'before the restart', aspect_ratio: '9:16' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    await bed.restart();

    const reroll = await bed.fake.clickButton(message, `reroll:${reply.id}`, { user: bob });
    await reroll.waitForResponse(showsImage, 'the rerolled result');
    const calls = createTaskCalls(bed.sim);
    expect(calls.at(-1)).toMatchObject({
      requestId: reroll.id,
      body: { input: { prompt: 'before the restart', aspect_ratio: '9:16' } },
    });

    const del = await bed.fake.clickButton(message, `delete:${reply.id}`, { user: alice });
    await bed.fake.waitFor(() => (message.deleted ? true : undefined), 'the deletion');
    expect(del.callbacks[0]).toMatchObject({ type: 6, status: 200 });
  });
});

describe('the gateway connection', () => {
  it('resumes after a dropped connection and handles what it missed, once', async () => {
    bed = await beds.start();
    bed.fake.dropGatewayConnections();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'sent while the bot was away' },
    });
    await reply.waitForResponse(showsImage, 'the result');
    expect(bed.fake.resumeCount).toBe(1);
    expect(bed.fake.identifyCount).toBe(1);
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([reply.id]);
  });

  it('ignores an interaction the resume delivers a second time', async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'delivered twice' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const revisions = message.revisions.length;
    bed.fake.dropGatewayConnections({ redeliver: 1 });
    await bed.fake.waitFor(() => reply.callbacks[1], 'the replayed interaction to be answered');
    await redeliveryDropped(bed.logs, reply.id);
    expect(reply.callbacks[1]!.status).not.toBe(200);
    expect(message.revisions).toHaveLength(revisions);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
  });
});

describe('load', () => {
  it('delivers 20 concurrent /imagine from different users', async () => {
    bed = await beds.start({
      sim: { taskDurationMs: (_input, index) => 100 + ((index * 37) % 200) },
    });
    const users = Array.from({ length: 20 }, (_, i) => bed!.fake.user(`user${i}`));
    const replies = await Promise.all(
      users.map((user, i) =>
        bed!.fake.runCommand({ name: 'imagine', user, options: { prompt: `picture number ${i}` } }),
      ),
    );
    const messages = await Promise.all(
      replies.map((reply) => reply.waitForResponse(showsImage, 'a result', 20_000)),
    );
    messages.forEach((message, i) => {
      const result = current(message);
      expect(result.attachments).toHaveLength(1);
      expect(result.embeds[0]!.description).toBe(`picture number ${i}`);
    });
    expect(new Set(createTaskCalls(bed.sim).map((call) => call.requestId)).size).toBe(20);
    expect(replies.every((reply) => reply.callbacks[0]!.status === 200)).toBe(true);
  });
});
