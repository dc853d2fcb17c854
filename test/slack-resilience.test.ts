import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ALICE,
  BOB,
  GENERAL,
  startSlackHarness,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

const harnesses: SlackHarness[] = [];

afterEach(async () => {
  for (const harness of harnesses.splice(0).reverse()) {
    await harness.close();
    expect(harness.fake.socket.unacked).toEqual([]);
  }
});

async function start(options: Parameters<typeof startSlackHarness>[0]): Promise<SlackHarness> {
  const harness = await startSlackHarness(options);
  harnesses.push(harness);
  return harness;
}

const text = (message: { text?: string; blocks?: unknown[] } | undefined) =>
  `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
const results = (h: SlackHarness) =>
  h.fake.messagesIn(GENERAL).filter((message) => message.files.length > 0);
const ephemeralsOf = (h: SlackHarness, user: string) =>
  h.fake.ephemeralsFor(user).map(text).join('\n');

describe('Slack API errors reach the user as catalogued messages', () => {
  it('ratelimited while posting the status message: "try again in about N seconds", nothing charged', async () => {
    const h = await start({ mode: 'socket' });
    h.fake.failNext('chat.postMessage', 'ratelimited', { retryAfterSeconds: 7 });
    await h.fake.slashCommand({ text: 'a windmill', userId: ALICE, channelId: GENERAL });
    await until(
      () =>
        /Slack is limiting how fast I can post right now\. Please try again in about 7 seconds/.test(
          ephemeralsOf(h, ALICE),
        ),
      'the rate-limit message',
    );
    expect(h.sim.createdTaskCount).toBe(0);
    expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).used).toBe(0);
  });

  it('another Slack refusal (invalid_blocks) names the error', async () => {
    const h = await start({ mode: 'socket' });
    h.fake.failNext('chat.postMessage', 'invalid_blocks');
    await h.fake.slashCommand({ text: 'a windmill', userId: ALICE, channelId: GENERAL });
    await until(
      () => /Slack refused the request \(invalid_blocks\)/.test(ephemeralsOf(h, ALICE)),
      'the refusal',
    );
    expect(h.sim.createdTaskCount).toBe(0);
  });

  it('acknowledges inside 3 s even when Slack is slow to answer chat.postMessage', async () => {
    const h = await start({ mode: 'socket' });
    h.fake.delayNext('chat.postMessage', 3_500);
    const started = Date.now();
    await h.fake.slashCommand({ text: 'a slow snail', userId: ALICE, channelId: GENERAL });
    expect(Date.now() - started).toBeLessThan(1_000);
    await until(() => results(h)[0], 'the result', 15_000);
  }, 20_000);
});

describe('delivery under Slack rate limits and vanished messages', () => {
  it('a rate-limited upload is retried after Retry-After and the image is posted exactly once', async () => {
    const h = await start({ mode: 'socket' });
    h.fake.failNext('files.completeUploadExternal', 'ratelimited', { retryAfterSeconds: 1 });
    await h.fake.slashCommand({ text: 'a patient heron', userId: ALICE, channelId: GENERAL });
    await until(
      () => h.fake.messagesIn(GENERAL).length === 1 && results(h)[0],
      'the result alone',
      10_000,
    );
    const completes = h.fake.callsOf('files.completeUploadExternal');
    expect(completes).toHaveLength(2);
    expect(completes[1]!.at - completes[0]!.at).toBeGreaterThanOrEqual(950);
    expect(h.fake.messagesIn(GENERAL)).toHaveLength(1);
  });

  it('a rate-limited clean-up is retried without uploading the image again', async () => {
    const h = await start({ mode: 'socket' });
    h.fake.failNext('chat.delete', 'ratelimited', { retryAfterSeconds: 1 });
    await h.fake.slashCommand({ text: 'a tidy desk', userId: ALICE, channelId: GENERAL });
    await until(
      () => h.fake.messagesIn(GENERAL).length === 1 && results(h).length === 1,
      'the tidy channel',
      10_000,
    );
    expect(h.fake.callsOf('files.completeUploadExternal')).toHaveLength(1);
    expect(h.fake.callsOf('chat.delete')).toHaveLength(2);
  });

  it('if the bot is removed from the channel mid-generation, the image goes to the DM with an invite hint', async () => {
    const h = await start({ mode: 'socket', taskDurationMs: 500 });
    await h.fake.slashCommand({ text: 'an exiled bard', userId: ALICE, channelId: GENERAL });
    await until(() => h.fake.messagesIn(GENERAL)[0], 'the status message');
    h.fake.workspace.channels.get(GENERAL)!.members.delete(h.fake.workspace.botUserId);
    const inDm = await until(
      () => h.fake.messagesIn(`D${ALICE.slice(1)}`).find((message) => message.files.length > 0),
      'the result in the DM',
    );
    expect(text(inDm)).toContain('an exiled bard');
    await until(
      () => /invite me with `\/invite @imagebot`/.test(ephemeralsOf(h, ALICE)),
      'the invite hint',
    );
  });

  it('if someone deletes the status message, the failure is posted as a fresh message', async () => {
    const h = await start({ mode: 'socket', taskDurationMs: 600 });
    await h.fake.slashCommand({ text: 'doomed [fail] sketch', userId: ALICE, channelId: GENERAL });
    const status = await until(() => h.fake.messagesIn(GENERAL)[0], 'the status message');
    status.deleted = true;
    const fresh = await until(
      () =>
        h.fake.messagesIn(GENERAL).find((message) => /could not be generated/.test(text(message))),
      'the failure',
    );
    expect(fresh.ts).not.toBe(status.ts);
    expect(h.fake.callsOf('chat.update').some((call) => call.error === 'message_not_found')).toBe(
      true,
    );
  });

  it('a private result whose response_url expired falls back to an ephemeral message', async () => {
    const h = await start({ mode: 'socket', taskDurationMs: 400 });
    await h.fake.slashCommand({
      text: 'a locked diary --private',
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(() => h.fake.ephemeralsFor(ALICE).length > 0, 'the progress note');
    h.fake.responseUrlClockOffsetMs = 31 * 60_000;
    const note = await until(
      () => h.fake.ephemeralsFor(ALICE).find((message) => /ready, privately/.test(text(message))),
      'the result note',
    );
    expect(note.via).toBe('chat.postEphemeral');
    expect(
      h.fake.messagesIn(`D${ALICE.slice(1)}`).filter((message) => message.files.length > 0),
    ).toHaveLength(1);
  });
  it('a private result whose response_url is used up (5 uses) falls back to an ephemeral message', async () => {
    const h = await start({ mode: 'socket', taskDurationMs: 400 });
    await h.fake.slashCommand({
      text: 'a sealed letter --private',
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(() => h.fake.ephemeralsFor(ALICE).length > 0, 'the progress note');
    for (const responseUrl of h.fake.workspace.responseUrls.values()) responseUrl.uses = 5;
    const note = await until(
      () => h.fake.ephemeralsFor(ALICE).find((message) => /ready, privately/.test(text(message))),
      'the result note',
    );
    expect(note.via).toBe('chat.postEphemeral');
  });
});

describe('unexpected errors', () => {
  it('show a generic message whose reference is also in the log line', async () => {
    const h = await start({ mode: 'socket' });
    // Every try of users.info meets an outage page: the language lookup's (which falls back to
    // DEFAULT_LOCALE) and the admin check's, each with the client's quick retries.
    h.fake.failNext('users.info', 'http_500', { times: 6 });
    await h.fake.slashCommand({
      text: `admin credits <@${BOB}|bob> 5`,
      userId: ADMIN,
      channelId: GENERAL,
    });
    const shown = await until(
      () =>
        /Something went wrong on our side.*reference: ([0-9A-F]{8})/.exec(ephemeralsOf(h, ADMIN)),
      'the generic message',
    );
    const reference = shown[1]!;
    expect(
      h.logs.some(
        (line) => line.includes(`"correlationId":"${reference}"`) && /"level":50/.test(line),
      ),
    ).toBe(true);
  });
});
