import { describe, expect, it } from 'vitest';
import {
  createTaskCalls,
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
} from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

describe('Discord answers from the raw interaction', () => {
  it('a refused Reroll is told privately and its public "thinking…" reply goes; the result stays', async () => {
    bed = await beds.start({ env: { USER_DAILY_CREDITS: '1' } });
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'the only one today' },
    });
    const result = await reply.waitForResponse(showsImage, 'the result');

    const click = await bed.fake.clickButton(result, `reroll:${reply.id}`, { user: alice });
    const notice = await click.waitForText('you have 0 left today');
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(click.callbacks[0]).toMatchObject({ type: 5, status: 200 });
    expect(click.response()?.deleted).toBe(true);
    expect(result.deleted).toBe(false);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
  });

  it('an Administrator may delete anyone’s result: the permissions Discord sent decide', async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a poster' },
    });
    const result = await reply.waitForResponse(showsImage, 'the result');
    await bed.fake.clickButton(result, `delete:${reply.id}`, {
      user: bed.fake.user('owner'),
      memberPermissions: MEMBER_PERMISSIONS | Permission.Administrator,
    });
    await bed.fake.waitFor(() => (result.deleted ? true : undefined), 'the deletion');
  });

  it('a share to a channel where the clicker may not post keeps the picker for another pick', async () => {
    bed = await beds.start();
    const readOnly = bed.fake.addChannel({ name: 'read-only' });
    const team = bed.fake.addChannel({ name: 'team' });
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a banner' },
    });
    const result = await reply.waitForResponse(showsImage, 'the result');
    const share = await bed.fake.clickButton(result, `share:${reply.id}`, { user: alice });
    const picker = await share.waitForResponse(
      (revision) => textOf(revision).includes('Pick the channel'),
      'the picker',
    );
    const refused = await bed.fake.selectChannel(picker, `share-to:${reply.id}`, readOnly.id, {
      user: alice,
      channelPermissions: Permission.ViewChannel,
    });
    await refused.waitForText(`You can't send messages in <#${readOnly.id}>`);
    const pick = await bed.fake.selectChannel(picker, `share-to:${reply.id}`, team.id, {
      user: alice,
    });
    await pick.waitForText(`Shared in <#${team.id}>`);
    expect(bed.fake.messagesIn(readOnly.id)).toHaveLength(0);
    expect(bed.fake.messagesIn(team.id)).toHaveLength(1);
  });
});
