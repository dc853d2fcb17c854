import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { boltLogger } from '../src/platforms/slack/bolt-logger.js';
import { encodePng } from './fakes/image-api/index.js';
import { FAKE_BOT_TOKEN, type FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  BOB,
  GENERAL,
  harnessPerTest,
  messageText,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

/**
 * Slack threads, end to end through the real Bolt app and the fake Slack: "Edit image" on a
 * message inside a thread answers in that thread, a result there stays there (and what its
 * buttons start too), and Share still posts to the channel itself.
 */

const harnesses = harnessPerTest();

const BOT = 'U0BOT';
/** The bot's result: its message carrying the uploaded image. */
const withImage = (message: FakeMessage) => message.user === BOT && message.files.length > 0;
const fromBot = (message: FakeMessage) => message.user === BOT;

/** Bob's question at the top of #general, and Alice's reply in its thread carrying a photo. */
function threadWithPhoto(harness: SlackHarness): { parent: FakeMessage; reply: FakeMessage } {
  const ws = harness.fake.workspace;
  const parent = ws.addUserMessage({ channel: GENERAL, user: BOB, text: 'ideas for the poster?' });
  const photo = ws.addUserFile({
    user: ALICE,
    name: 'poster.png',
    bytes: encodePng(24, 16, (x) => [200, x * 8, 60]),
    mimetype: 'image/png',
  });
  const reply = ws.addUserMessage({
    channel: GENERAL,
    user: ALICE,
    text: 'this one',
    files: [photo],
    threadTs: parent.ts,
  });
  return { parent, reply };
}

/** "Edit image" on `message`, the edit modal filled in and sent. */
async function editImage(harness: SlackHarness, message: FakeMessage, prompt: string) {
  const { fake } = harness;
  const shortcut = await fake.messageShortcut({
    userId: ALICE,
    callbackId: 'imagine_edit_image',
    message,
  });
  const form = await until(
    () => fake.workspace.views.find((view) => view.triggerId === shortcut.triggerId),
    'the edit modal',
  );
  expect(form.view.callback_id).toBe('imagine_edit_modal');
  return fake.submitView({ userId: ALICE, view: form, values: { prompt } });
}

describe('Slack threads', () => {
  it('"Edit image" on a reply in a thread: the status and the result are replies in that thread', async () => {
    const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100 });
    const { fake } = harness;
    const { parent, reply } = threadWithPhoto(harness);
    await editImage(harness, reply, 'make it a night scene');

    const result = await until(
      () => fake.repliesIn(GENERAL, parent.ts).find(withImage),
      'the result in the thread',
    );
    expect(messageText(result)).toContain('make it a night scene');
    expect(messageText(result)).toContain('From poster.png');
    // The channel itself shows only the people's own message: nothing of the bot's.
    expect(fake.messagesIn(GENERAL).map((message) => message.user)).toEqual([BOB]);
    // The status went into the thread too, and was replaced by the result.
    const statuses = fake
      .allMessagesIn(GENERAL)
      .filter((message) => fromBot(message) && !withImage(message));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status.threadTs === parent.ts)).toBe(true);
    await until(() => statuses.every((status) => status.deleted), 'the status replaced');
    expect(fake.callsOf('files.completeUploadExternal').map((call) => call.args.thread_ts)).toEqual(
      [parent.ts],
    );
  });

  it("a thread's first message with replies: the edit answers in its thread", async () => {
    const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100 });
    const { fake } = harness;
    const ws = fake.workspace;
    const photo = ws.addUserFile({
      user: ALICE,
      name: 'cat.png',
      bytes: encodePng(16, 16, () => [40, 40, 40]),
      mimetype: 'image/png',
    });
    const parent = ws.addUserMessage({ channel: GENERAL, user: ALICE, files: [photo] });
    ws.addUserMessage({ channel: GENERAL, user: BOB, text: 'cute!', threadTs: parent.ts });
    await editImage(harness, parent, 'give the cat a hat');
    const result = await until(
      () => fake.repliesIn(GENERAL, parent.ts).find(withImage),
      'the result in the thread',
    );
    expect(messageText(result)).toContain('give the cat a hat');
    expect(fake.messagesIn(GENERAL).filter(fromBot)).toEqual([]);
  });

  it("a result's Reroll in a thread stays in the thread; Share posts a copy to the channel itself", async () => {
    const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100 });
    const { fake } = harness;
    const { parent, reply } = threadWithPhoto(harness);
    await editImage(harness, reply, 'in watercolour');
    const first = await until(
      () => fake.repliesIn(GENERAL, parent.ts).find(withImage),
      'the first result',
    );

    await fake.clickButton({ userId: ALICE, message: first, actionId: 'imagine_reroll' });
    await until(
      () => fake.repliesIn(GENERAL, parent.ts).filter(withImage).length === 2,
      'the rerolled result in the thread',
    );
    expect(fake.messagesIn(GENERAL).filter(withImage)).toEqual([]);

    await fake.clickButton({ userId: BOB, message: first, actionId: 'imagine_share' });
    const picker = await until(() => fake.viewsOpenedBy(BOB)[0], 'the share modal');
    await fake.submitView({
      userId: BOB,
      view: picker,
      values: { channel: { conversation: GENERAL } },
    });
    const copy = await until(
      () => fake.messagesIn(GENERAL).find(withImage),
      'the shared copy at the top of the channel',
    );
    expect(copy.threadTs).toBeUndefined();
    expect(messageText(copy)).toContain(`<@${BOB}>`);
  });

  it('a status message deleted inside a thread: the failure comes back as a fresh reply there', async () => {
    const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 600 });
    const { fake } = harness;
    const { parent, reply } = threadWithPhoto(harness);
    await editImage(harness, reply, 'doomed [fail] sketch');
    const status = await until(
      () => fake.repliesIn(GENERAL, parent.ts).find(fromBot),
      'the status',
    );
    status.deleted = true;
    const fresh = await until(
      () =>
        fake
          .repliesIn(GENERAL, parent.ts)
          .find((message) => /could not be made from its source/.test(messageText(message))),
      'the failure in the thread',
    );
    expect(fresh.ts).not.toBe(status.ts);
    expect(fake.messagesIn(GENERAL).map((message) => message.user)).toEqual([BOB]);
  });

  it('/imagine typed in a thread answers in the channel: Slack does not say the thread', async () => {
    const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100 });
    const { fake } = harness;
    threadWithPhoto(harness);
    await fake.slashCommand({ text: 'a lighthouse at dusk', userId: ALICE, channelId: GENERAL });
    const result = await until(
      () => fake.messagesIn(GENERAL).find(withImage),
      'the result in the channel',
    );
    expect(result.threadTs).toBeUndefined();
  });
});

describe('the fake keeps threads as Slack does', () => {
  it('refuses a thread_ts that names no message, or a reply instead of its parent', async () => {
    const harness = await harnesses.start({ mode: 'socket' });
    const { fake } = harness;
    const { reply } = threadWithPhoto(harness);
    const web = new webApi.WebClient(FAKE_BOT_TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: boltLogger(silentLogger),
    });
    const errorOf = (call: Promise<unknown>) =>
      call.then(
        () => 'ok',
        (error: { data?: { error?: string } }) => error.data?.error,
      );
    expect(
      await errorOf(web.chat.postMessage({ channel: GENERAL, text: 'x', thread_ts: '1.000001' })),
    ).toBe('thread_not_found');
    expect(
      await errorOf(web.chat.postMessage({ channel: GENERAL, text: 'x', thread_ts: reply.ts })),
    ).toBe('thread_not_found');
  });
});
