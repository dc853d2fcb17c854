import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordTestBed, type DiscordTestBed } from './fakes/discord/harness.js';
import { current, MessageFlag, textOf, type FakeUser } from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

afterEach(async () => {
  if (bed) expect(bed.leakedSecrets()).toEqual([]);
  await bed?.close();
  bed = undefined;
});

/** An empty prompt: refused at once, privately, in the language the bot picked for the person. */
async function emptyPromptRefusal(
  user: FakeUser,
  where?: { guildId: string | undefined; channelId: string },
): Promise<string> {
  const reply = await bed!.fake.runCommand({
    name: 'imagine',
    user,
    options: { prompt: '   ' },
    ...where,
  });
  const callback = await reply.waitForCallback();
  expect(Number(callback.data?.flags) & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
  const message = await reply.waitForResponse((revision) => textOf(revision) !== '', 'the refusal');
  return textOf(current(message));
}

const ENGLISH_REFUSAL = 'Your prompt is empty';
const CHINESE_REFUSAL = '提示词是空的';

describe('Discord answers in the language of the person who asked', () => {
  it('a person whose Discord is in Chinese is answered in Chinese, beside an English speaker in the same channel', async () => {
    bed = await startDiscordTestBed();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const alice = bed.fake.user('alice', { locale: 'en-US' });
    expect(await emptyPromptRefusal(li)).toContain(CHINESE_REFUSAL);
    expect(await emptyPromptRefusal(alice)).toContain(ENGLISH_REFUSAL);
  });

  it('traditional-Chinese clients get the Simplified Chinese the bot has', async () => {
    bed = await startDiscordTestBed();
    expect(await emptyPromptRefusal(bed.fake.user('mei', { locale: 'zh-TW' }))).toContain(
      CHINESE_REFUSAL,
    );
  });

  it("a language the bot does not speak falls back to the server's language, then to DEFAULT_LOCALE", async () => {
    bed = await startDiscordTestBed();
    const chineseServer = bed.fake.addGuildOnShard(0, 1);
    bed.fake.guildLocales.set(chineseServer.guildId, 'zh-CN');
    const pierre = bed.fake.user('pierre', { locale: 'fr' });
    expect(await emptyPromptRefusal(pierre, chineseServer)).toContain(CHINESE_REFUSAL);
    expect(await emptyPromptRefusal(pierre)).toContain(ENGLISH_REFUSAL);
  });

  it('DEFAULT_LOCALE=zh-CN answers in Chinese whoever the bot cannot place (a DM, no server language); English speakers keep English', async () => {
    bed = await startDiscordTestBed({ env: { DEFAULT_LOCALE: 'zh-CN' } });
    const pierre = bed.fake.user('pierre', { locale: 'fr' });
    const alice = bed.fake.user('alice', { locale: 'en-GB' });
    const inDm = (user: FakeUser) => {
      const dm = bed!.fake.addChannel({
        name: `dm-${user.username}`,
        guildId: undefined,
        type: 1,
        recipientId: user.id,
      });
      return emptyPromptRefusal(user, { guildId: undefined, channelId: dm.id });
    };
    expect(await inDm(pierre)).toContain(CHINESE_REFUSAL);
    expect(await inDm(alice)).toContain(ENGLISH_REFUSAL);
  });
});
