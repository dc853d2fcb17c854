import { describe, expect, it } from 'vitest';
import type { FaultStatus } from './fakes/image-api/index.js';
import { mentionsIn, type FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  BOB,
  GENERAL,
  until,
  type SlackHarness,
  harnessPerTest,
} from './fakes/slack/harness.js';
import { jobFinished, redeliveryDropped } from './helpers/logged.js';

let h: SlackHarness | undefined;

const harnesses = harnessPerTest();

const blocksText = (message: { blocks?: unknown[]; text?: string } | undefined) =>
  JSON.stringify(message?.blocks ?? []);
const resultIn = (harness: SlackHarness, channel: string) =>
  until(
    () => harness.fake.messagesIn(channel).find((message) => message.files.length > 0),
    `a result in ${channel}`,
  );
const ephemeralText = (harness: SlackHarness, user: string) =>
  harness.fake
    .ephemeralsFor(user)
    .map((message) => `${message.text ?? ''} ${blocksText(message)}`)
    .join('\n');

async function imageBytesOf(harness: SlackHarness, requestId: string): Promise<Buffer> {
  const job = await harness.bot.service.jobs.get(requestId);
  if (job?.outcome?.kind !== 'success') throw new Error('job did not succeed');
  return Buffer.from(await (await fetch(job.outcome.imageUrls[0]!)).arrayBuffer());
}

describe('/imagine: the life of a generation (Socket Mode)', () => {
  it('ends with one message in the channel carrying the uploaded image, prompt, options, requester, time and buttons', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { fake, sim } = h;
    const { triggerId } = await fake.slashCommand({
      text: 'a red fox in snow --ar 16:9 --res 2K --quality high --format png',
      userId: ALICE,
      channelId: GENERAL,
    });

    const result = await resultIn(h, GENERAL);
    // Keyed by the command's trigger_id, sent as X-Request-ID.
    expect([...sim.tasks.values()].map((task) => task.requestId)).toEqual([triggerId]);
    expect([...sim.tasks.values()][0]!.input).toMatchObject({
      prompt: 'a red fox in snow',
      aspect_ratio: '16:9',
      resolution: '2K',
      quality: 'high',
      output_format: 'png',
    });
    // The image lives in Slack: the uploaded bytes are exactly the generated image.
    expect(fake.fileBytes(result.files[0]!)?.equals(await imageBytesOf(h, triggerId))).toBe(true);
    const text = blocksText(result);
    expect(text).toContain('a red fox in snow');
    expect(text).toContain('16:9 · 2K · high · png');
    expect(text).toContain(`requested by <@${ALICE}>`);
    expect(text).toMatch(/done in \d+ s/);
    for (const action of ['imagine_reroll', 'imagine_share', 'imagine_delete'])
      expect(text).toContain(action);
    // No trail of clutter: the status message was shown and then removed.
    await until(() => fake.messagesIn(GENERAL).length === 1, 'the status message to be cleaned up');
    expect(fake.messagesIn(GENERAL)).toEqual([result]);
    const status = fake.allMessagesIn(GENERAL).find((message) => message !== result)!;
    expect(status.revisions[0]!.text).toMatch(/Queued/);
    expect(status.deleted).toBe(true);
    expect(fake.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(fake.callsOf('files.completeUploadExternal')[0]!.args.channel_id).toBe(GENERAL);
  });

  it('edits the status message while waiting (queue position, elapsed time), at most once every 3 s', async () => {
    // Slack's pace for status edits (chat.update is Tier 3), which PacedDelivery keeps.
    h = await harnesses.start({
      mode: 'socket',
      taskDurationMs: 4_500,
      tuning: { progressIntervalMs: 3_000 },
    });
    const { fake } = h;
    await fake.slashCommand({ text: 'a slow lighthouse', userId: ALICE, channelId: GENERAL });
    await resultIn(h, GENERAL);
    const status = fake.allMessagesIn(GENERAL).find((message) => message.files.length === 0)!;
    const shown = status.revisions.map((revision) => revision.text ?? '');
    expect(shown[0]).toMatch(/^Queued/);
    expect(shown.some((line) => /^Generating… [1-9] s/.test(line))).toBe(true);
    const updates = status.revisions.slice(1).map((revision) => revision.at);
    for (let i = 1; i < updates.length; i++)
      expect(updates[i]! - updates[i - 1]!).toBeGreaterThanOrEqual(2_900);
    expect(fake.callsOf('chat.update').length).toBeLessThanOrEqual(3);
  }, 20_000);

  it('shows the queue position when the image service is at its active-task limit', async () => {
    const { startImageApiSimulator } = await import('./fakes/image-api/index.js');
    const sim = await startImageApiSimulator({ taskDurationMs: 300, activeTaskLimit: 1 });
    h = await harnesses.start({ mode: 'socket', sim });
    await h.fake.slashCommand({ text: 'first', userId: ALICE, channelId: GENERAL });
    await h.fake.slashCommand({ text: 'second', userId: BOB, channelId: GENERAL });
    await until(
      () => h!.fake.messagesIn(GENERAL).filter((message) => message.files.length > 0).length === 2,
      'both results',
    );
    const shown = h.fake
      .allMessagesIn(GENERAL)
      .flatMap((message) => message.revisions.map((revision) => revision.text ?? ''));
    expect(shown.some((line) => /Queued: position 1 in line/.test(line))).toBe(true);
  });

  it('on fail shows failMsg and failCode in the status message, refunds the credits and offers Try again', async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 4 });
    const { fake } = h;
    await fake.slashCommand({
      text: 'something [fail] prone --res 4K',
      userId: ALICE,
      channelId: GENERAL,
    });
    const failed = await until(
      () =>
        fake
          .messagesIn(GENERAL)
          .find((message) => /could not be generated/.test(message.text ?? '')),
      'the failure',
    );
    const text = blocksText(failed);
    expect(text).toContain("may violate OpenAI's content policies");
    expect(text).toContain('(code 400)');
    expect(text).toContain('refunded');
    expect(text).toContain('imagine_retry');
    expect(fake.messagesIn(GENERAL)).toHaveLength(1);
    expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).remaining).toBe(4);
  });

  const apiErrors: Array<{ status: FaultStatus; text: RegExp }> = [
    { status: 400, text: /rejected this request/ },
    { status: 401, text: /bot operator has been told/ },
    { status: 402, text: /run out of image credits/ },
  ];
  for (const { status, text } of apiErrors) {
    it(`turns image API HTTP ${status} into the catalogued message, told privately like any refusal`, async () => {
      h = await harnesses.start({ mode: 'socket' });
      h.sim.inject({ endpoint: 'createTask', kind: { type: 'status', status, msg: 'Bad prompt' } });
      await h.fake.slashCommand({ text: 'a cat', userId: ALICE, channelId: GENERAL });
      await until(() => text.test(ephemeralText(h!, ALICE)), 'the private failure');
      // The status message goes, and the channel never saw the refusal.
      await until(() => h!.fake.messagesIn(GENERAL).length === 0, 'the status message to go');
      const shown = h.fake
        .allMessagesIn(GENERAL)
        .flatMap((message) => message.revisions.map((revision) => blocksText(revision)));
      expect(shown.some((blocks) => text.test(blocks))).toBe(false);
      expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).used).toBe(0);
    });
  }

  it('refuses over-quota requests privately: nothing in the channel, nothing sent to the API', async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 1 });
    await h.fake.slashCommand({ text: 'a big one --res 4K', userId: ALICE, channelId: GENERAL });
    await until(
      () => /costs 4 credits and you have 1 left/.test(ephemeralText(h!, ALICE)),
      'the quota message',
    );
    expect(h.fake.messagesIn(GENERAL)).toEqual([]);
    // Refused before any status message: nothing appeared, not even for a moment.
    expect(h.fake.callsOf('chat.postMessage')).toEqual([]);
    expect(h.sim.createdTaskCount).toBe(0);
  });

  it('answers a mistyped option with the catalogued message, privately', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await h.fake.slashCommand({ text: 'a cat --ar 5:7', userId: ALICE, channelId: GENERAL });
    await until(
      () => /"5:7" is not a valid aspect ratio/.test(ephemeralText(h!, ALICE)),
      'the validation message',
    );
    await h.fake.slashCommand({ text: 'a cat --size big', userId: ALICE, channelId: GENERAL });
    await until(
      () => /Unknown option --size/.test(ephemeralText(h!, ALICE)),
      'the unknown-option message',
    );
    expect(h.fake.allMessagesIn(GENERAL)).toEqual([]);
  });

  it('never notifies anyone through an echoed prompt', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const prompt =
      'hey <!channel> <!here> <!everyone> <@U0BOB> <!subteam^S0TEAM|@designers> @here & friends';
    await h.fake.slashCommand({ text: prompt, userId: ALICE, channelId: GENERAL });
    const result = await resultIn(h, GENERAL);
    const everything: FakeMessage[] = h.fake.allMessagesIn(GENERAL);
    for (const message of everything) {
      for (const revision of message.revisions) expect(mentionsIn(revision)).toEqual([ALICE]);
    }
    expect(blocksText(result)).toContain('&lt;!channel&gt;');
    expect(blocksText(result)).toContain('&amp; friends');
  });

  it('a redelivered command (same trigger_id) starts nothing and posts nothing a second time', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const first = await h.fake.slashCommand({
      text: 'a single heron',
      userId: ALICE,
      channelId: GENERAL,
    });
    await h.fake.slashCommand({
      text: 'a single heron',
      userId: ALICE,
      channelId: GENERAL,
      triggerId: first.triggerId,
      retry: { attempt: 1, reason: 'timeout' },
    });
    await resultIn(h, GENERAL);
    await redeliveryDropped(h.logs);
    await jobFinished(h.logs);
    expect(h.sim.createdTaskCount).toBe(1);
    expect(h.fake.allMessagesIn(GENERAL)).toHaveLength(2);
    expect(h.fake.messagesIn(GENERAL)).toHaveLength(1);
    expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).used).toBe(1);
  });
});

describe('/imagine help, quota and history', () => {
  it('help lists every subcommand and option; quota shows credits and reset; history lists recent generations', async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 10 });
    const { fake } = h;
    await fake.slashCommand({ text: 'help', userId: ALICE, channelId: GENERAL });
    await until(() => /\/imagine admin credits/.test(ephemeralText(h!, ALICE)), 'help');
    const help = ephemeralText(h, ALICE);
    for (const part of [
      '/imagine quota',
      '/imagine history',
      '--ar',
      '--res',
      '--quality',
      '--format',
      '--private',
    ])
      expect(help).toContain(part);

    await fake.slashCommand({ text: 'an otter --res 2K', userId: ALICE, channelId: GENERAL });
    await resultIn(h, GENERAL);
    await fake.slashCommand({ text: 'quota', userId: ALICE, channelId: GENERAL });
    await until(() => /8 of 10\* credits left today/.test(ephemeralText(h!, ALICE)), 'quota');
    expect(ephemeralText(h, ALICE)).toMatch(/reset <!date\^\d+\^/);

    await fake.slashCommand({ text: 'history', userId: ALICE, channelId: GENERAL });
    await until(() => /done .*an otter/.test(ephemeralText(h!, ALICE)), 'history');
    expect(fake.messagesIn(GENERAL)).toHaveLength(1);
  });
});
