import { describe, expect, it } from 'vitest';
import {
  componentIds,
  createTaskCalls,
  showsFailure,
  showsImage,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import {
  current,
  MEMBER_PERMISSIONS,
  MessageFlag,
  Permission,
  textOf,
  type FakeMessage,
  type FakeUser,
} from './fakes/discord/index.js';
import { redeliveryDropped } from './helpers/logged.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

async function generate(
  user: FakeUser,
  options: Record<string, string | boolean>,
): Promise<{ id: string; message: FakeMessage }> {
  const reply = await bed!.fake.runCommand({
    name: 'imagine',
    user,
    options: { prompt: 'a kite', ...options },
  });
  const message = await reply.waitForResponse(
    (revision) => showsImage(revision) || showsFailure(revision),
    'the outcome',
  );
  return { id: reply.id, message };
}

describe('Reroll and Try again', () => {
  it('Reroll starts a new generation with the same prompt and options, charged to the clicker', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const bob = bed.fake.user('bob');
    const { id, message } = await generate(alice, {
      prompt: 'a paper kite',
      resolution: '2K',
      quality: 'low',
    });

    const click = await bed.fake.clickButton(message, `reroll:${id}`, { user: bob });
    const rerolled = await click.waitForResponse(showsImage, 'the rerolled result');
    expect(rerolled.id).not.toBe(message.id);
    expect(textOf(current(rerolled))).toContain(`<@${bob.id}>`);
    expect(createTaskCalls(bed.sim).at(-1)).toMatchObject({
      requestId: click.id,
      body: { input: { prompt: 'a paper kite', resolution: '2K', quality: 'low' } },
    });
    expect((await bed.bot.service.status(`discord:${bob.id}`)).used).toBe(2);
    expect((await bed.bot.service.status(`discord:${alice.id}`)).used).toBe(2);

    // A double click is one interaction delivered twice: still one task.
    bed.fake.redeliver(click);
    await redeliveryDropped(bed.logs, click.id);
    expect(createTaskCalls(bed.sim)).toHaveLength(2);
  });

  it('Reroll on a private result stays private', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, { private: true });
    const click = await bed.fake.clickButton(message, `reroll:${id}`, { user: alice });
    const rerolled = await click.waitForResponse(showsImage, 'the rerolled result');
    expect(current(rerolled).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
  });

  it('Try again on a failure starts the same request anew', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, { prompt: 'risky [fail] idea' });
    expect(componentIds(current(message))).toEqual([`reroll:${id}`]);
    const click = await bed.fake.clickButton(message, `reroll:${id}`, { user: alice });
    await click.waitForResponse(showsFailure, 'the second outcome');
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([id, click.id]);
  });
});

describe('Share', () => {
  it('posts a private result in the channel the clicker picks, crediting the requester', async () => {
    bed = await beds.start();
    const team = bed.fake.addChannel({ name: 'team-art' });
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, {
      prompt: '@everyone a team mascot',
      private: true,
    });

    const share = await bed.fake.clickButton(message, `share:${id}`, { user: alice });
    const picker = await share.waitForResponse(
      (revision) => componentIds(revision).includes(`share-to:${id}`),
      'the channel picker',
    );
    expect(current(picker).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);

    const pick = await bed.fake.selectChannel(picker, `share-to:${id}`, team.id, { user: alice });
    const [posted] = await bed.fake.waitFor(() => {
      const messages = bed!.fake.messagesIn(team.id);
      return messages.length > 0 ? messages : undefined;
    }, 'the shared post');
    const shared = current(posted!);
    expect(shared.attachments).toHaveLength(1);
    expect(textOf(shared)).toContain('@everyone a team mascot');
    expect(textOf(shared)).toContain(`Created by\n<@${alice.id}>`);
    expect(shared.pings).toEqual({ everyone: false, users: [], roles: [] });
    await pick.waitForText(`Shared in <#${team.id}>`);
  });

  it('refuses a channel where the clicker may not post, and posts nothing', async () => {
    bed = await beds.start();
    const announcements = bed.fake.addChannel({ name: 'announcements' });
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, { private: true });
    const share = await bed.fake.clickButton(message, `share:${id}`, { user: alice });
    const picker = await share.waitForResponse((r) => componentIds(r).length > 0, 'the picker');
    const pick = await bed.fake.selectChannel(picker, `share-to:${id}`, announcements.id, {
      user: alice,
      channelPermissions: Permission.ViewChannel,
    });
    await pick.waitForText(`You can't send messages in <#${announcements.id}>`);
    expect(bed.fake.messagesIn(announcements.id)).toHaveLength(0);
  });

  it('says so when the bot cannot post in the picked channel', async () => {
    bed = await beds.start();
    const locked = bed.fake.addChannel({ name: 'locked', botCanPost: false });
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, { private: true });
    const share = await bed.fake.clickButton(message, `share:${id}`, { user: alice });
    const picker = await share.waitForResponse((r) => componentIds(r).length > 0, 'the picker');
    const pick = await bed.fake.selectChannel(picker, `share-to:${id}`, locked.id, { user: alice });
    await pick.waitForText(`I can't post in <#${locked.id}>`);
  });
});

describe('Delete', () => {
  it('refuses someone who neither asked for the image nor manages messages', async () => {
    bed = await beds.start();
    const { id, message } = await generate(bed.fake.user('alice'), {});
    const click = await bed.fake.clickButton(message, `delete:${id}`, {
      user: bed.fake.user('mallory'),
      memberPermissions: MEMBER_PERMISSIONS,
    });
    const notice = await click.waitForText('Only the person who asked for this image');
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(message.deleted).toBe(false);
  });

  it('lets the requester delete it', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const { id, message } = await generate(alice, {});
    await bed.fake.clickButton(message, `delete:${id}`, { user: alice });
    await bed.fake.waitFor(() => (message.deleted ? true : undefined), 'the deletion');
  });

  it('lets a member with Manage Messages delete it', async () => {
    bed = await beds.start();
    const { id, message } = await generate(bed.fake.user('alice'), {});
    await bed.fake.clickButton(message, `delete:${id}`, {
      user: bed.fake.user('mod'),
      memberPermissions: MEMBER_PERMISSIONS | Permission.ManageMessages,
    });
    await bed.fake.waitFor(() => (message.deleted ? true : undefined), 'the deletion');
  });
});

describe('unexpected errors', () => {
  it('shows a generic message whose reference is also in the log', async () => {
    bed = await beds.start();
    // A button left by an older version of the bot, whose action no longer exists.
    const old = bed.fake.seedBotMessage(bed.fake.defaultChannelId, {
      content: 'old',
      components: [
        { type: 1, components: [{ type: 2, style: 1, label: 'Old', custom_id: 'zoom:123' }] },
      ],
    });
    const click = await bed.fake.clickButton(old, 'zoom:123', { user: bed.fake.user('alice') });
    const notice = await click.waitForText('Something went wrong on our side');
    const reference = /reference: ([0-9A-F]{8})/.exec(textOf(current(notice)))?.[1];
    expect(reference).toBeDefined();
    expect(bed.logs.some((line) => line.correlationId === reference && line.level >= 50)).toBe(
      true,
    );
  });
});
