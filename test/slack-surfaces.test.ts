import { describe, expect, it } from 'vitest';
import type { FakeMessage } from './fakes/slack/index.js';
import {
  ADMIN,
  ALICE,
  ART,
  BOB,
  GENERAL,
  RANDOM,
  SECRET,
  until,
  type SlackHarness,
  harnessPerTest,
} from './fakes/slack/harness.js';

let h: SlackHarness | undefined;

const harnesses = harnessPerTest();

const text = (message: { text?: string; blocks?: unknown[] } | undefined) =>
  `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
const results = (harness: SlackHarness, channel: string) =>
  harness.fake.messagesIn(channel).filter((message) => message.files.length > 0);
const resultIn = (harness: SlackHarness, channel: string, count = 1) =>
  until(
    () => results(harness, channel).length >= count && results(harness, channel)[count - 1],
    `result ${count} in ${channel}`,
  );
const ephemeralsOf = (harness: SlackHarness, user: string) =>
  harness.fake.ephemeralsFor(user).map(text).join('\n');
const DM = (user: string) => `D${user.slice(1)}`;

async function generateIn(
  harness: SlackHarness,
  channel: string,
  prompt = 'a lantern in fog',
): Promise<FakeMessage> {
  await harness.fake.slashCommand({ text: prompt, userId: ALICE, channelId: channel });
  return resultIn(harness, channel);
}

describe('modal and global shortcut', () => {
  it('the "Generate image" shortcut opens the modal; the picked channel gets the result', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await h.fake.shortcut({ userId: ALICE, callbackId: 'imagine_generate_shortcut' });
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the modal');
    const blocks = JSON.stringify(view.view.blocks);
    for (const part of [
      'plain_text_input',
      '"multiline":true',
      '16:9',
      '4K (4 credits)',
      'conversations_select',
    ])
      expect(blocks).toContain(part);
    await h.fake.submitView({
      userId: ALICE,
      view,
      values: {
        prompt: 'two cranes\nover a lake',
        aspect_ratio: '21:9',
        channel: { conversation: ART },
      },
    });
    const result = await resultIn(h, ART);
    expect(text(result)).toContain('21:9 · 1K');
    expect(text(result)).toContain('>two cranes\\n>over a lake');
  });

  it('with no channel picked, the result comes privately to the DM', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await h.fake.shortcut({ userId: ALICE, callbackId: 'imagine_generate_shortcut' });
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the modal');
    await h.fake.submitView({ userId: ALICE, view, values: { prompt: 'a quiet moth' } });
    await resultIn(h, DM(ALICE));
    expect(h.fake.messagesIn(GENERAL)).toEqual([]);
  });
});

describe('App Home', () => {
  it('shows credits left and reset time, jobs in flight, and recent generations', async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 10 });
    await generateIn(h, GENERAL, 'a brass compass --res 2K');
    h.sim.setTaskDuration(3_000);
    await h.fake.slashCommand({ text: 'a long voyage', userId: ALICE, channelId: GENERAL });
    await until(() => h!.sim.createdTaskCount === 2, 'the second task');
    await h.fake.openAppHome(ALICE);
    const home = await until(() => h!.fake.homeOf(ALICE), 'the home tab');
    const shown = JSON.stringify(home);
    expect(shown).toMatch(/7 of 10\* credits left today · resets <!date\^\d+/);
    expect(shown).toContain('*In progress* (1)');
    expect(shown).toContain('a long voyage');
    expect(shown).toContain('a brass compass');
    expect(shown).toContain('imagine_open_modal');
  });
});

describe('private generations and sharing', () => {
  it('--private goes to the requester alone with a Share button; Share posts a copy to the picked channel', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { fake } = h;
    await fake.slashCommand({
      text: 'my secret garden --private',
      userId: ALICE,
      channelId: GENERAL,
    });
    const inDm = await resultIn(h, DM(ALICE));
    expect(fake.allMessagesIn(GENERAL)).toEqual([]);
    const note = await until(
      () => fake.ephemeralsFor(ALICE).find((message) => /ready, privately/.test(text(message))),
      'the private note',
    );
    expect(note.via).toBe('response_url');
    expect(note.replaceOriginal).toBe(true);

    await fake.clickButton({ userId: ALICE, ephemeral: note, actionId: 'imagine_share' });
    const shareView = await until(
      () =>
        fake.viewsOpenedBy(ALICE).find((view) => view.view.callback_id === 'imagine_share_modal'),
      'the share modal',
    );
    await fake.submitView({
      userId: ALICE,
      view: shareView,
      values: { channel: { conversation: ART } },
    });
    const shared = await resultIn(h, ART);
    expect(text(shared)).toContain(`Shared by <@${ALICE}>`);
    expect(fake.fileBytes(shared.files[0]!)?.equals(fake.fileBytes(inDm.files[0]!)!)).toBe(true);
  });

  it('Share to a channel the bot cannot join explains how to invite it', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const result = await generateIn(h, GENERAL);
    await h.fake.clickButton({ userId: ALICE, message: result, actionId: 'imagine_share' });
    const view = await until(() => h!.fake.viewsOpenedBy(ALICE)[0], 'the share modal');
    await h.fake.submitView({ userId: ALICE, view, values: { channel: { conversation: SECRET } } });
    await until(
      () =>
        /Invite me there with `\/invite @imagebot`/.test(
          text(h!.fake.messagesIn(DM(ALICE)).at(-1)),
        ),
      'the invite hint',
    );
  });
});

describe('buttons on results', () => {
  it('Reroll starts a new generation of the same prompt, charged to the clicker and keyed by the click', async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 10 });
    const first = await generateIn(h, GENERAL, 'a tin robot --res 2K');
    const click = await h.fake.clickButton({
      userId: BOB,
      message: first,
      actionId: 'imagine_reroll',
    });
    const second = await resultIn(h, GENERAL, 2);
    expect(text(second)).toContain('a tin robot');
    expect(text(second)).toContain(`requested by <@${BOB}>`);
    expect([...h.sim.tasks.values()].map((task) => task.requestId)).toContain(click.triggerId);
    expect((await h.bot.service.status(`slack:T0FAKE:${BOB}`)).used).toBe(2);
  });

  it('Delete works for the requester and admins only, and removes the message and its file', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { fake } = h;
    const mine = await generateIn(h, GENERAL);
    await fake.clickButton({ userId: BOB, message: mine, actionId: 'imagine_delete' });
    await until(
      () =>
        /Only the person who asked for this image, or a workspace admin/.test(
          ephemeralsOf(h!, BOB),
        ),
      'the refusal',
    );
    expect(mine.deleted).toBe(false);

    await fake.clickButton({ userId: ALICE, message: mine, actionId: 'imagine_delete' });
    await until(
      () => mine.deleted && fake.workspace.files.get(mine.files[0]!)?.deleted,
      'the deletion of message and file',
    );

    const another = await generateIn(h, GENERAL, 'another one');
    await fake.clickButton({ userId: ADMIN, message: another, actionId: 'imagine_delete' });
    await until(() => another.deleted, 'the admin deletion');
  });

  it('Try again on a failure runs the prompt again and replaces the failure message', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { fake } = h;
    // A failure after the task existed is shown in place (a refusal before it, only privately).
    h.sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 404 } });
    await fake.slashCommand({ text: 'a paper boat', userId: ALICE, channelId: GENERAL });
    const failed = await until(
      () => fake.messagesIn(GENERAL).find((message) => /imagine_retry/.test(text(message))),
      'the failure',
    );
    await fake.clickButton({ userId: ALICE, message: failed, actionId: 'imagine_retry' });
    const result = await resultIn(h, GENERAL);
    expect(text(result)).toContain('a paper boat');
    await until(
      () => failed.deleted && fake.messagesIn(GENERAL).length === 1,
      'the failure and status messages to go',
    );
    expect(fake.messagesIn(GENERAL)).toEqual([result]);
  });
});

describe('admin credits', () => {
  it("workspace admins set a person's daily credits; others are refused", async () => {
    h = await harnesses.start({ mode: 'socket', dailyCredits: 20 });
    const { fake } = h;
    await fake.slashCommand({
      text: `admin credits <@${ALICE}|alice> 3`,
      userId: ADMIN,
      channelId: GENERAL,
    });
    await until(() => /now has 3 credits a day/.test(ephemeralsOf(h!, ADMIN)), 'the confirmation');
    expect((await h.bot.service.status(`slack:T0FAKE:${ALICE}`)).dailyCredits).toBe(3);

    await fake.slashCommand({
      text: `admin credits <@${BOB}|bob> 500`,
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(
      () => /Only workspace admins and owners/.test(ephemeralsOf(h!, ALICE)),
      'the refusal',
    );
    expect((await h.bot.service.status(`slack:T0FAKE:${BOB}`)).dailyCredits).toBe(20);

    await fake.slashCommand({ text: 'admin credits bob lots', userId: ADMIN, channelId: GENERAL });
    await until(
      () => /Usage: `\/imagine admin credits @user 50`/.test(ephemeralsOf(h!, ADMIN)),
      'the usage',
    );
    expect(fake.callsOf('users.info').map((call) => call.args.user)).toContain(ADMIN);
  });
});

describe('when the bot is not in the channel', () => {
  it('joins a public channel and posts there', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await h.fake.slashCommand({ text: 'a field of poppies', userId: ALICE, channelId: RANDOM });
    await resultIn(h, RANDOM);
    expect(h.fake.callsOf('conversations.join').map((call) => call.args.channel)).toEqual([RANDOM]);
  });

  it('in a private channel it cannot join, it answers privately, explains how to invite it, and delivers to the DM', async () => {
    h = await harnesses.start({ mode: 'socket' });
    await h.fake.slashCommand({ text: 'a hidden cove', userId: ALICE, channelId: SECRET });
    await until(
      () => /invite me with `\/invite @imagebot`/.test(ephemeralsOf(h!, ALICE)),
      'the invite hint',
    );
    await resultIn(h, DM(ALICE));
    expect(h.fake.workspace.messages.filter((message) => message.channel === SECRET)).toEqual([]);
  });
});
