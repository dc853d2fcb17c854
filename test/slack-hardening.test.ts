import { describe, expect, it } from 'vitest';
import type { FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  BOB,
  GENERAL,
  until,
  type SlackHarness,
  harnessPerTest,
} from './fakes/slack/harness.js';

/** The API key startSlackHarness gives the bot. */
const API_KEY = 'sk-test-slack';
const FORM = 'application/x-www-form-urlencoded';
/** A private channel the bot is in and Alice is not. */
const STAFF = 'G0STAFF';
const DM = (user: string) => `D${user.slice(1)}`;
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

let h: SlackHarness | undefined;

const harnesses = harnessPerTest();

const text = (message: { text?: string; blocks?: unknown[] } | undefined) =>
  `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
/** Every version of every message ever posted in the channel, deleted ones included. */
const everythingShownIn = (harness: SlackHarness, channel: string) =>
  harness.fake
    .allMessagesIn(channel)
    .flatMap((message) => message.revisions.map(text))
    .join('\n');
const resultIn = (harness: SlackHarness, channel: string) =>
  until(
    () => harness.fake.messagesIn(channel).find((message) => message.files.length > 0),
    `a result in ${channel}`,
  );

describe('Slack: what users see never carries a secret or hidden characters', () => {
  it('an API refusal quoting the key is told privately, without the key, and leaves the channel empty', async () => {
    h = await harnesses.start({ mode: 'socket' });
    h.sim.inject({
      endpoint: 'createTask',
      kind: { type: 'status', status: 400, msg: `key ${API_KEY} may not use this model` },
    });
    await h.fake.slashCommand({ text: 'a cat', userId: ALICE, channelId: GENERAL });
    const told = await until(
      () => h!.fake.ephemeralsFor(ALICE).find((message) => /rejected/.test(text(message))),
      'the private refusal',
    );
    expect(text(told)).toContain('key [REDACTED] may not use this model');
    expect(text(told)).not.toContain(API_KEY);
    await until(() => h!.fake.messagesIn(GENERAL).length === 0, 'the status message to go');
    // Nobody else ever saw the refusal: the only public message was the status, now deleted.
    expect(everythingShownIn(h, GENERAL)).not.toMatch(/rejected|REDACTED/);
    expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).used).toBe(0);
  });

  it('bidi overrides and zero-width characters typed in a prompt never reach a message', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const prompt = 'a fox\u202E gnp.exe\u200B\u2066 <https://evil.example|safe> <!channel>';
    await h.fake.slashCommand({ text: prompt, userId: ALICE, channelId: GENERAL });
    const result = await resultIn(h, GENERAL);
    const shown = everythingShownIn(h, GENERAL);
    expect(shown).not.toMatch(INVISIBLE);
    expect(text(result)).toContain('a fox gnp.exe');
    // Escaped as before: no link Slack would draw, nobody notified.
    expect(shown).toContain('&lt;https://evil.example|safe&gt; &lt;!channel&gt;');
  });
});

describe('Slack Share: only into a conversation the sharer belongs to', () => {
  async function shareModal(harness: SlackHarness): Promise<{ result: FakeMessage }> {
    harness.fake.workspace.addChannel({
      id: STAFF,
      name: 'staff',
      kind: 'private',
      members: [BOB],
    });
    await harness.fake.slashCommand({ text: 'a lantern', userId: ALICE, channelId: GENERAL });
    const result = await resultIn(harness, GENERAL);
    await harness.fake.clickButton({ userId: ALICE, message: result, actionId: 'imagine_share' });
    return { result };
  }

  it('a forged submission naming a private channel the sharer is not in is refused, with a reason', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await shareModal(h);
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the share modal');
    await h.fake.submitView({ userId: ALICE, view, values: { channel: { conversation: STAFF } } });
    await until(
      () => /not a member of that channel/.test(text(h!.fake.messagesIn(DM(ALICE)).at(-1))),
      'the refusal',
    );
    expect(h.fake.allMessagesIn(STAFF)).toEqual([]);
    expect(h.fake.callsOf('files.getUploadURLExternal')).toHaveLength(1); // the original only
  });

  it("a forged submission naming someone else's DM with the bot is refused too", async () => {
    h = await harnesses.start({ mode: 'socket' });
    await shareModal(h);
    h.fake.workspace.imWith(BOB);
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the share modal');
    await h.fake.submitView({
      userId: ALICE,
      view,
      values: { channel: { conversation: DM(BOB) } },
    });
    await until(
      () => /not a member of that channel/.test(text(h!.fake.messagesIn(DM(ALICE)).at(-1))),
      'the refusal',
    );
    expect(h.fake.allMessagesIn(DM(BOB))).toEqual([]);
  });

  it('a member of a large channel can share there (membership is read page by page)', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const crowd = Array.from({ length: 450 }, (_, i) => `U0CROWD${i}`);
    h.fake.workspace.addChannel({ id: 'C0CROWD', name: 'crowd', members: [...crowd, ALICE] });
    await shareModal(h);
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the share modal');
    await h.fake.submitView({
      userId: ALICE,
      view,
      values: { channel: { conversation: 'C0CROWD' } },
    });
    const shared = await resultIn(h, 'C0CROWD');
    expect(text(shared)).toContain(`Shared by <@${ALICE}>`);
    expect(h.fake.callsOf('conversations.members').length).toBeGreaterThan(1);
  });
});

describe('Slack HTTP mode: request timestamps', () => {
  const minutesFromNow = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60;
  const verification = JSON.stringify({
    token: 'unused',
    challenge: 'c-456',
    type: 'url_verification',
  });

  it('refuses requests stamped more than five minutes in the future, url_verification included', async () => {
    h = await harnesses.start({ mode: 'http' });
    const { fake } = h;
    const command = fake.slashCommandBody({
      text: 'from the future',
      userId: ALICE,
      channelId: GENERAL,
    });
    const future = await fake.postSigned(command.body, FORM, { timestamp: minutesFromNow(10) });
    expect(future.status).toBe(401);
    const challenge = await fake.postSigned(verification, 'application/json', {
      timestamp: minutesFromNow(6),
    });
    expect(challenge.status).toBe(401);
    expect(challenge.text).not.toContain('c-456');

    // Within the window (a clock a little ahead) is still Slack.
    const near = await fake.postSigned(verification, 'application/json', {
      timestamp: minutesFromNow(4),
    });
    expect(near.status).toBe(200);
    expect(near.text).toContain('c-456');
    // The refused command reached no handler: nothing posted, nothing asked of the image API.
    expect(fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
    expect(h.sim.requests).toEqual([]);
  });
});
