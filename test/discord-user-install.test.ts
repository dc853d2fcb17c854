import { describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import { showsImage, type DiscordTestBed, testBedPerTest } from './fakes/discord/harness.js';
import {
  current,
  MessageFlag,
  startDiscordFake,
  textOf,
  type FakeMessage,
} from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

/** Custom ids of the buttons on a message's latest revision. */
function buttonIds(message: FakeMessage): string[] {
  return current(message).components.flatMap((row) =>
    ((row.components as Array<{ custom_id?: string }> | undefined) ?? []).flatMap((component) =>
      component.custom_id ? [component.custom_id] : [],
    ),
  );
}

/** Every message the bot made with its own token (not through an interaction) in a channel. */
function botPostsIn(channelId: string): FakeMessage[] {
  return bed!.fake
    .messagesIn(channelId)
    .filter((message) => message.revisions.some((revision) => revision.via === 'channel'));
}

describe('installing the app on a user account', () => {
  it('offers the commands for everyone to user installs, everywhere; /imagine-admin stays a server install in a server', async () => {
    const fake = await startDiscordFake();
    try {
      await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
      const reach = Object.fromEntries(
        fake.globalCommands.map((command) => [
          command.name,
          { integration_types: command.integration_types, contexts: command.contexts },
        ]),
      );
      const everywhere = { integration_types: [0, 1], contexts: [0, 1, 2] };
      expect(reach).toEqual({
        imagine: everywhere,
        quota: everywhere,
        history: everywhere,
        help: everywhere,
        'Edit image': everywhere,
        'imagine-admin': { integration_types: [0], contexts: [0] },
      });
    } finally {
      await fake.close();
    }
  });

  it('in a server without the bot, the status and the image live in the reply itself, never a channel post', async () => {
    bed = await beds.start();
    const elsewhere = bed.fake.addServerWithoutBot();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a lighthouse at dusk' },
      ...elsewhere,
    });
    expect(reply.interaction.userInstalledOnly).toBe(true);
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    expect(message.id).toBe(reply.interaction.originalMessageId);
    expect(current(message).attachments).toHaveLength(1);
    // Within Discord's five follow-ups, and nothing sent to the channel with the bot token.
    expect(reply.followups().length).toBeLessThanOrEqual(5);
    expect(botPostsIn(elsewhere.channelId)).toEqual([]);
    const refusedChannelCalls = bed.fake.requests.filter(
      (request) =>
        request.path.startsWith(`/channels/${elsewhere.channelId}`) && request.status === 403,
    );
    expect(refusedChannelCalls).toEqual([]);
  });

  it('the admin command is not offered there', async () => {
    bed = await beds.start();
    const elsewhere = bed.fake.addServerWithoutBot();
    await expect(
      bed.fake.runCommand({
        name: 'imagine-admin',
        subcommand: 'settings',
        user: bed.fake.user('alice'),
        ...elsewhere,
      }),
    ).rejects.toThrow(/does not offer \/imagine-admin to a user install/);
  });

  it('works in a group DM between people', async () => {
    bed = await beds.start();
    const friends = bed.fake.addPrivateChannel();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a birthday cake' },
      guildId: undefined,
      channelId: friends.id,
    });
    expect(reply.interaction.context).toBe(2);
    await reply.waitForResponse(showsImage, 'the result', 15_000);
    expect(botPostsIn(friends.id)).toEqual([]);
  });

  it('where the server keeps external apps private, the answer is private and offers no Delete', async () => {
    bed = await beds.start();
    const elsewhere = bed.fake.addServerWithoutBot();
    bed.fake.externalAppsPrivate.add(elsewhere.guildId);
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a paper boat' },
      ...elsewhere,
    });
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    expect(current(message).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(buttonIds(message).some((id) => id.startsWith('delete:'))).toBe(false);
    expect(buttonIds(message).some((id) => id.startsWith('share:'))).toBe(true);
  });

  it('Share where the bot is not a member says why it cannot post, in the person’s language', async () => {
    bed = await beds.start();
    const elsewhere = bed.fake.addServerWithoutBot();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: li,
      options: { prompt: 'a kite' },
      ...elsewhere,
    });
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    const share = buttonIds(message).find((id) => id.startsWith('share:'))!;
    const click = await bed.fake.clickButton(message, share, { user: li });
    const answer = await click.waitForText('不是这个服务器或对话的成员');
    expect(current(answer).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(textOf(current(answer))).not.toContain('member of this server');
    expect(botPostsIn(elsewhere.channelId)).toEqual([]);
  });
});
