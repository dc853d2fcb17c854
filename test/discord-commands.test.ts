import { describe, expect, it } from 'vitest';
import { deployDiscordCommands, parseDeployArguments } from '../commands/deploy-discord.js';
import {
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
  startDiscordFake,
  textOf,
  type FakeUser,
} from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

async function imagine(user: FakeUser, options: Record<string, string | boolean>) {
  const reply = await bed!.fake.runCommand({
    name: 'imagine',
    user,
    options: { prompt: 'x', ...options },
  });
  await reply.waitForResponse(
    (revision) => showsImage(revision) || showsFailure(revision),
    'the outcome',
  );
  return reply;
}

describe('command deployment', () => {
  it('registers every command with choices, defaults in descriptions, and admin-only permissions', async () => {
    const fake = await startDiscordFake();
    try {
      await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
      const byName = new Map(fake.globalCommands.map((command) => [command.name, command]));
      expect([...byName.keys()].sort()).toEqual([
        'Edit image',
        'help',
        'history',
        'imagine',
        'imagine-admin',
        'quota',
      ]);
      const imagineOptions = new Map(
        byName.get('imagine')!.options!.map((option) => [option.name, option]),
      );
      expect(imagineOptions.get('prompt')).toMatchObject({ required: true });
      expect(imagineOptions.get('aspect_ratio')!.choices!.map((choice) => choice.value)).toEqual([
        'auto',
        '1:1',
        '4:5',
        '3:4',
        '2:3',
        '16:9',
        '9:16',
        '21:9',
      ]);
      expect(imagineOptions.get('resolution')!.choices!.map((choice) => choice.value)).toEqual([
        '1K',
        '2K',
        '4K',
      ]);
      expect(imagineOptions.get('resolution')!.description).toContain('default: 1K');
      expect(imagineOptions.get('quality')!.choices!.map((choice) => choice.value)).toEqual([
        'auto',
        'low',
        'medium',
        'high',
      ]);
      expect(imagineOptions.get('output_format')!.choices!.map((choice) => choice.value)).toEqual([
        'png',
        'jpeg',
        'webp',
      ]);
      expect(imagineOptions.get('private')!.description).toContain('Only you see');
      expect(byName.get('imagine-admin')!.default_member_permissions).toBe(
        Permission.ManageGuild.toString(),
      );

      // -- --guild <id> registers in one server only.
      const { guildId } = parseDeployArguments(['--guild', fake.defaultGuildId]);
      await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl, guildId });
      expect(fake.guildCommands.get(guildId!)).toHaveLength(6);
      // -- --guild <id> --clear removes them again.
      const clearing = parseDeployArguments(['--guild', fake.defaultGuildId, '--clear']);
      await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl, ...clearing });
      expect(fake.guildCommands.get(guildId!)).toHaveLength(0);
      expect(() => parseDeployArguments(['--guild'])).toThrow(/server id/);
    } finally {
      await fake.close();
    }
  });
});

describe('in a DM with the bot', () => {
  it('generates, deletes for the requester, and keeps /imagine-admin to servers', async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const dm = bed.fake.addChannel({
      name: 'dm',
      guildId: undefined,
      type: 1,
      recipientId: alice.id,
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      guildId: undefined,
      channelId: dm.id,
      options: { prompt: 'a quiet corner' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    await bed.fake.clickButton(message, `delete:${reply.id}`, { user: alice });
    await bed.fake.waitFor(() => (message.deleted ? true : undefined), 'the deletion');
    await expect(
      bed.fake.runCommand({
        name: 'imagine-admin',
        subcommand: 'usage',
        user: alice,
        guildId: undefined,
        channelId: dm.id,
      }),
    ).rejects.toThrow(/does not offer \/imagine-admin in DMs/);
  });
});

describe('/quota', () => {
  it('shows credits left today, when they reset, and jobs in flight, privately', async () => {
    bed = await beds.start({
      env: { USER_DAILY_CREDITS: '10' },
      sim: { taskDurationMs: 150 },
    });
    const alice = bed.fake.user('alice');
    await imagine(alice, { resolution: '2K' });
    await imagine(alice, { prompt: 'this one fails [fail]' });

    bed.sim.setTaskDuration(2_000);
    const slow = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a slow sunrise' },
    });
    await slow.waitForCallback();
    const quota = await bed.fake.runCommand({ name: 'quota', user: alice });
    const reply = await quota.waitForText('Left today');
    const text = textOf(current(reply));
    expect(current(reply).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    // 10 − 2 (the 2K image) − 1 (held for the one in flight); the failure was refunded.
    expect(text).toContain('7 of 10');
    expect(text).toMatch(/Resets\nin (\d+ h )?\d+ min \(00:00 UTC\)/);
    expect(text).toContain('In flight (1)');
    expect(text).toContain('a slow sunrise');
  });
});

describe('/history', () => {
  it("lists the user's recent generations with prompt, time and links, privately", async () => {
    bed = await beds.start();
    const alice = bed.fake.user('alice');
    const first = await imagine(alice, { prompt: 'an old map' });
    await imagine(alice, { prompt: 'a new map', private: true });
    const history = await bed.fake.runCommand({ name: 'history', user: alice });
    const reply = await history.waitForText('Your recent generations');
    expect(current(reply).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    const lines = textOf(current(reply))
      .split('\n')
      .filter((line) => line.startsWith('<t:'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('a new map');
    expect(lines[0]).toMatch(/\[image\]\(http:\/\/127\.0\.0\.1:\d+\/.+\)/);
    expect(lines[0]).not.toContain('[message]'); // private results have no public message
    expect(lines[1]).toContain('an old map');
    expect(lines[1]).toContain(`/${bed.fake.defaultChannelId}/${first.response()!.id})`);
  });
});

describe('/imagine-admin', () => {
  it('is not offered to members without Manage Server, and refuses them if granted anyway', async () => {
    bed = await beds.start();
    const member = bed.fake.user('member');
    await expect(
      bed.fake.runCommand({
        name: 'imagine-admin',
        subcommand: 'usage',
        user: member,
        memberPermissions: MEMBER_PERMISSIONS,
      }),
    ).rejects.toThrow(/does not offer/);
    const granted = await bed.fake.runCommand({
      name: 'imagine-admin',
      subcommand: 'credits',
      options: { user: member, daily: 500 },
      user: member,
      memberPermissions: MEMBER_PERMISSIONS,
      grantedByServerSettings: true,
    });
    await granted.waitForText('Only members with the Manage Server permission');
    expect((await bed.bot.service.status(`discord:${member.id}`)).dailyCredits).toBe(20);
  });

  it("sets a member's daily credits and shows their usage", async () => {
    bed = await beds.start();
    const admin = bed.fake.user('admin');
    const bob = bed.fake.user('bob');
    await imagine(bob, { resolution: '4K' });
    const set = await bed.fake.runCommand({
      name: 'imagine-admin',
      subcommand: 'credits',
      options: { user: bob, daily: 50 },
      user: admin,
      memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
    });
    const confirmation = await set.waitForText('now has 50 credits a day; 46 left today');
    expect(current(confirmation).pings).toEqual({ everyone: false, users: [], roles: [] });

    const quota = await bed.fake.runCommand({ name: 'quota', user: bob });
    await quota.waitForText('46 of 50');

    const usage = await bed.fake.runCommand({
      name: 'imagine-admin',
      subcommand: 'usage',
      options: { user: bob },
      user: admin,
      memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
    });
    await usage.waitForText(`<@${bob.id}> has used 4 of 50 credits today (46 left)`);
  });
});
