import { describe, expect, it } from 'vitest';
import {
  createTaskCalls,
  componentIds,
  imageUrlOf,
  showsFailure,
  showsImage,
  type DiscordTestBed,
  expectFoxResult,
  expectOneFoxTask,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, MessageFlag, textOf } from './fakes/discord/index.js';
import { CONTENT_POLICY_FAIL_MESSAGE } from './fakes/image-api/index.js';
import { redeliveryDropped } from './helpers/logged.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

describe('/imagine: the life of a generation', () => {
  it('defers at once and edits the reply in place into the uploaded image, with buttons', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a red fox in the snow', aspect_ratio: '16:9', resolution: '2K' },
    });

    const callback = await reply.waitForCallback();
    expect(callback).toMatchObject({ type: 5, status: 200 });
    expect(callback.at - reply.interaction.dispatchedAt).toBeLessThan(3_000);
    expect(callback.data?.flags ?? 0).toBe(0); // public

    const message = await expectFoxResult(reply, alice);
    // Edited in place through the interaction token: the message id never changed.
    expect(message.revisions.slice(1).every((revision) => revision.via === 'webhook')).toBe(true);
    expect(bed.fake.messagesIn(bed.fake.defaultChannelId)).toHaveLength(1);

    expectOneFoxTask(bed, reply, callback);
  });

  it('shows prompt, options and "generating… N s" while waiting, edited at most every 3 s', async () => {
    // Progress is paced for every platform by PacedDelivery; 3 s is what this test expects of it.
    bed = await beds.start({
      sim: { taskDurationMs: 4_500 },
      tuning: { progressIntervalMs: 3_000 },
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a lighthouse at dusk', quality: 'high' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    const statuses = message.revisions.filter(
      (revision) => revision.via === 'webhook' && !showsImage(revision),
    );
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    for (const status of statuses) {
      expect(textOf(status)).toContain('a lighthouse at dusk');
      expect(textOf(status)).toContain('1K · high');
    }
    expect(statuses.map((status) => textOf(status)).join('\n')).toMatch(/Generating… [1-9]\d* s/);
    for (let i = 1; i < statuses.length; i++) {
      expect(statuses[i]!.at - statuses[i - 1]!.at).toBeGreaterThanOrEqual(2_900);
    }
  });

  it('shows "queued" with the position while the API is at its active-task limit', async () => {
    bed = await beds.start({ sim: { activeTaskLimit: 1, taskDurationMs: 1_200 } });
    const first = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'first' },
    });
    await first.waitForCallback();
    await bed.fake.waitFor(() => createTaskCalls(bed!.sim)[0], 'the first task');
    const second = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('bob'),
      options: { prompt: 'second' },
    });
    await second.waitForResponse((revision) => /Queued/.test(textOf(revision)), 'a queued status');
    await second.waitForResponse(showsImage, 'the second result', 10_000);
    await first.waitForResponse(showsImage, 'the first result');
  });

  it('shows the API failMsg and failCode, says the credits were refunded, and offers Try again', async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'something [fail] prone' },
    });
    const message = await reply.waitForResponse(showsFailure, 'the failure');
    const text = textOf(current(message));
    expect(text).toContain(CONTENT_POLICY_FAIL_MESSAGE);
    expect(text).toContain('(code 400)');
    expect(text).toContain('credits were refunded');
    expect(componentIds(current(message))).toEqual([`reroll:${reply.id}`]);
    expect(current(message).attachments).toHaveLength(0);
  });

  it('never pings anyone named in a prompt: @everyone, @here, roles and users', async () => {
    bed = await beds.start();
    const prompt = '@everyone @here <@&123456789012345678> <@234567890123456789> a cat';
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    expect(textOf(current(message))).toContain(prompt);
    for (const revision of message.revisions) {
      expect(revision.pings).toEqual({ everyone: false, users: [], roles: [] });
    }
    for (const revision of message.revisions.slice(1)) {
      expect(revision.allowedMentions).toEqual({ parse: [] });
    }
  });

  it('fits the longest prompt Discord accepts into every message (embed limits hold)', async () => {
    bed = await beds.start();
    const prompt = '🦊🦊 '.repeat(1_180); // 5,900 UTF-16 units, under the 6,000 option limit
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const description = String(current(message).embeds[0]!.description);
    expect(description.endsWith('…')).toBe(true);
    expect(prompt.startsWith(description.slice(0, -1))).toBe(true);
    expect(bed.fake.requests.filter((request) => request.status === 400)).toEqual([]);
  });

  it('keeps a private request private from the deferral to the result, without Delete', async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a secret garden', private: true },
    });
    const callback = await reply.waitForCallback();
    expect(Number(callback.data?.flags) & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    const message = await reply.waitForResponse(showsImage, 'the result');
    expect(message.revisions.every((revision) => revision.flags & MessageFlag.Ephemeral)).toBe(
      true,
    );
    expect(componentIds(current(message))).toEqual([
      `reroll:${reply.id}`,
      `edit:${reply.id}`,
      `vary:${reply.id}`,
      `upscale:${reply.id}`,
      `share:${reply.id}`,
    ]);
  });

  it('links an image over the upload limit instead of losing it', async () => {
    bed = await beds.start({ sim: { imageMinBytes: 40_000 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a very detailed map' },
      attachmentSizeLimit: 20_000,
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    const result = current(message);
    expect(result.attachments).toHaveLength(0);
    expect(imageUrlOf(result)).toMatch(new RegExp(`^${bed.sim.url}/`));
    expect(textOf(result)).toContain('The image is larger than the 20 KB upload limit here');
    const image = await fetch(imageUrlOf(result)!);
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(20_000);
  });

  it('waits out a Discord 429 on the final edit and still delivers', async () => {
    bed = await beds.start();
    bed.fake.rateLimit({
      method: 'PATCH',
      path: /^\/webhooks\/.*@original$/,
      retryAfterMs: 400,
      times: 2,
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'patience' },
    });
    await reply.waitForResponse(showsImage, 'the result');
    const edits = bed.fake.requests.filter((request) => request.method === 'PATCH');
    const limited = edits.filter((request) => request.status === 429);
    expect(limited).toHaveLength(2);
    const delivered = edits.find((request) => request.status === 200)!;
    expect(delivered.at - limited[0]!.at).toBeGreaterThanOrEqual(390);
  });
});

describe('/imagine: Discord server errors', () => {
  it('rides out 5xx answers on the final edit and still delivers the image once', async () => {
    bed = await beds.start();
    bed.fake.serverError({
      method: 'PATCH',
      path: /^\/webhooks\/.*@original$/,
      status: 502,
      times: 4,
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'through the storm' },
    });
    await reply.waitForResponse(showsImage, 'the result', 20_000);
    const edits = bed.fake.requests.filter((request) => request.method === 'PATCH');
    expect(edits.filter((request) => request.status === 502)).toHaveLength(4);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
  });
});

describe('/imagine: refusals are private, helpful, and start nothing', () => {
  it('answers an empty prompt at once, privately, without deferring', async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: '   ' },
    });
    const callback = await reply.waitForCallback();
    expect(callback.type).toBe(4);
    expect(Number(callback.data?.flags) & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    await reply.waitForText('Your prompt is empty');
    expect(createTaskCalls(bed.sim)).toHaveLength(0);
  });

  it('refuses when the daily credits are spent, privately, replacing the public deferral', async () => {
    bed = await beds.start({ env: { USER_DAILY_CREDITS: '2' } });
    const alice = bed.fake.user('alice');
    const first = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'one', resolution: '2K' },
    });
    await first.waitForResponse(showsImage, 'the first result');
    const second = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'two' },
    });
    const notice = await second.waitForText('you have 0 left today');
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(textOf(current(notice))).toMatch(/reset in .* \(00:00 UTC\)/);
    expect(second.response()?.deleted).toBe(true);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
  });

  it('refuses a third generation while two are in flight', async () => {
    bed = await beds.start({ sim: { taskDurationMs: 1_500 } });
    const alice = bed.fake.user('alice');
    for (const prompt of ['one', 'two']) {
      const reply = await bed.fake.runCommand({
        name: 'imagine',
        user: alice,
        options: { prompt },
      });
      await reply.waitForCallback();
    }
    await bed.fake.waitFor(
      () => (createTaskCalls(bed!.sim).length === 2 ? true : undefined),
      'two tasks',
    );
    const third = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'three' },
    });
    await third.waitForText('You already have 2 images generating');
    expect(createTaskCalls(bed.sim)).toHaveLength(2);
  });

  it.each([
    [400, 'The image service rejected this request: prompt not allowed here'],
    [401, 'The image service is not accepting this bot right now'],
    [402, 'The bot has run out of image credits'],
  ] as const)('tells the requester privately when the API answers %i', async (status, told) => {
    bed = await beds.start();
    bed.sim.inject({
      endpoint: 'createTask',
      kind: { type: 'status', status, msg: 'prompt not allowed here' },
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a harmless cat' },
    });
    const notice = await reply.waitForText(told);
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    await bed.fake.waitFor(
      () => reply.response()?.deleted || undefined,
      'the public message to go',
    );
    expect(bed.sim.createdTaskCount).toBe(0);
  });
});

describe('/imagine: API trouble after the task exists', () => {
  it('retries a 500 from createTask with the same X-Request-ID and delivers one image', async () => {
    bed = await beds.start();
    bed.sim.inject({ endpoint: 'createTask', kind: { type: 'status', status: 500 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'persistence' },
    });
    await reply.waitForResponse(showsImage, 'the result');
    const creates = createTaskCalls(bed.sim);
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(creates.map((call) => call.requestId))).toEqual(new Set([reply.id]));
    expect(bed.sim.createdTaskCount).toBe(1);
  });

  it('shows in place, with Try again, when the API loses track of the task', async () => {
    bed = await beds.start({ sim: { taskDurationMs: 400 } });
    bed.sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 404 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a lost cause' },
    });
    const message = await reply.waitForResponse(showsFailure, 'the failure');
    const text = textOf(current(message));
    expect(text).toContain('The image service lost track of this generation');
    expect(text).toContain('credits were refunded');
    expect(componentIds(current(message))).toEqual([`reroll:${reply.id}`]);
    expect(current(message).flags & MessageFlag.Ephemeral).toBe(0);
  });
});

describe('/imagine: one interaction, one task', () => {
  it('a redelivered interaction creates no second task and no second reply', async () => {
    bed = await beds.start({ sim: { taskDurationMs: 400 } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'only once' },
    });
    bed.fake.redeliver(reply);
    await reply.waitForResponse(showsImage, 'the result');
    bed.fake.redeliver(reply);
    await redeliveryDropped(bed.logs, reply.id);
    expect(reply.callbacks.filter((callback) => callback.status === 200)).toHaveLength(1);
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([reply.id]);
    expect(bed.sim.createdTaskCount).toBe(1);
    expect(showsImage(current(reply.response()!))).toBe(true);
  });
});
