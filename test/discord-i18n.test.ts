import { describe, expect, it } from 'vitest';
import {
  showsFailure,
  showsImage,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { CONTENT_POLICY_FAIL_MESSAGE } from './fakes/image-api/index.js';
import { FAST_CREATE_RETRY } from './helpers/core.js';
import {
  current,
  MEMBER_PERMISSIONS,
  MessageFlag,
  Permission,
  textOf,
  type FakeMessage,
  type FakeUser,
} from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

const beds = testBedPerTest();

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
    bed = await beds.start();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const alice = bed.fake.user('alice', { locale: 'en-US' });
    expect(await emptyPromptRefusal(li)).toContain(CHINESE_REFUSAL);
    expect(await emptyPromptRefusal(alice)).toContain(ENGLISH_REFUSAL);
  });

  it('traditional-Chinese clients get the Simplified Chinese the bot has', async () => {
    bed = await beds.start();
    expect(await emptyPromptRefusal(bed.fake.user('mei', { locale: 'zh-TW' }))).toContain(
      CHINESE_REFUSAL,
    );
  });

  it("a language the bot does not speak falls back to the server's language, then to DEFAULT_LOCALE", async () => {
    bed = await beds.start();
    const chineseServer = bed.fake.addGuildOnShard(0, 1);
    bed.fake.guildLocales.set(chineseServer.guildId, 'zh-CN');
    const pierre = bed.fake.user('pierre', { locale: 'fr' });
    expect(await emptyPromptRefusal(pierre, chineseServer)).toContain(CHINESE_REFUSAL);
    expect(await emptyPromptRefusal(pierre)).toContain(ENGLISH_REFUSAL);
  });

  it('DEFAULT_LOCALE=zh-CN answers in Chinese whoever the bot cannot place (a DM, no server language); English speakers keep English', async () => {
    bed = await beds.start({ env: { DEFAULT_LOCALE: 'zh-CN' } });
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

/** The labels of the buttons on a message's latest revision. */
function buttonLabels(message: FakeMessage): string[] {
  return current(message).components.flatMap((row) =>
    ((row.components as Array<{ label?: string }> | undefined) ?? []).flatMap((component) =>
      component.label ? [component.label] : [],
    ),
  );
}

describe('a generation in Chinese on Discord', () => {
  it('the status, the result card and its buttons are in Chinese; the prompt stays as typed', async () => {
    bed = await beds.start();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: li,
      options: { prompt: 'a red fox in snow', resolution: '2K' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result', 15_000);
    const statuses = message.revisions.map((revision) => textOf(revision));
    expect(statuses.some((text) => /排队中|正在生成/.test(text))).toBe(true);
    const text = textOf(current(message));
    expect(text).toContain('a red fox in snow');
    for (const label of ['选项', '生成者', '用时']) expect(text).toContain(label);
    expect(text).not.toMatch(/Options|Requested by|Time taken/);
    expect(buttonLabels(message)).toEqual(['重新生成', '编辑', '变体', '放大', '分享', '删除']);
  });

  it("an API failure says it in Chinese, with the API's own failMsg as it gave it", async () => {
    bed = await beds.start();
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('li', { locale: 'zh-CN' }),
      options: { prompt: 'something [fail] prone' },
    });
    const message = await reply.waitForResponse(showsFailure, 'the failure');
    const text = textOf(current(message));
    expect(text).toContain('图片生成失败');
    expect(text).toContain(CONTENT_POLICY_FAIL_MESSAGE);
    expect(text).toContain('额度已退还');
    expect(text).not.toContain('could not be generated');
    expect(buttonLabels(message)).toEqual(['重试']);
  });

  it('the API losing the task is said in Chinese, with 重试, and nothing is charged', async () => {
    bed = await beds.start({ sim: { taskDurationMs: 400 } });
    bed.sim.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 404 } });
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: li,
      options: { prompt: 'a lantern' },
    });
    const message = await reply.waitForResponse(showsFailure, 'the failure');
    const text = textOf(current(message));
    expect(text).toContain('图像服务找不到这次生成任务了。你的额度已退还，请重试。');
    expect(buttonLabels(message)).toEqual(['重试']);
    const quota = await bed.fake.runCommand({ name: 'quota', user: li });
    expect(textOf(current(await quota.waitForText('你的图片额度')))).toContain('20 / 20');
  });

  it('an API that keeps failing is said in Chinese once every retry is spent, and nothing is charged', async () => {
    bed = await beds.start();
    bed.sim.inject({
      endpoint: 'createTask',
      times: FAST_CREATE_RETRY.maxAttempts,
      kind: { type: 'status', status: 500 },
    });
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: li,
      options: { prompt: 'a paper lantern' },
    });
    const notice = await reply.waitForText('图像服务暂时出了问题');
    expect(textOf(current(notice))).toContain('你的额度已退还，请过几分钟再试。');
    expect(bed.sim.createdTaskCount).toBe(0);
    const quota = await bed.fake.runCommand({ name: 'quota', user: li });
    expect(textOf(current(await quota.waitForText('你的图片额度')))).toContain('20 / 20');
  });

  it('an image over the person’s credits is refused in Chinese, privately, before any task', async () => {
    bed = await beds.start({ env: { USER_DAILY_CREDITS: '3' } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('li', { locale: 'zh-CN' }),
      options: { prompt: 'a harbour at dawn', resolution: '4K' },
    });
    const notice = await reply.waitForText('这张图片需要 4 点额度，你今天只剩 3 点。');
    expect(current(notice).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(bed.sim.createdTaskCount).toBe(0);
  });

  it('重试 (Try again) on a Chinese failure replaces it, as Try again does in English', async () => {
    bed = await beds.start();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: li,
      options: { prompt: 'something [fail] prone' },
    });
    const failure = await reply.waitForResponse(showsFailure, 'the failure');
    const click = await bed.fake.clickButton(failure, `reroll:${reply.id}`, { user: li });
    await click.waitForResponse(showsFailure, 'the second failure');
    await bed.fake.waitFor(() => (failure.deleted ? true : undefined), 'the first failure removed');
  });
});

describe('private answers in Chinese on Discord', () => {
  it('/quota and /help answer a zh-CN user in Chinese, naming commands and options as a Chinese client shows them', async () => {
    bed = await beds.start();
    const li = bed.fake.user('li', { locale: 'zh-CN' });
    const quota = await bed.fake.runCommand({ name: 'quota', user: li });
    const quotaText = textOf(current(await quota.waitForText('你的图片额度')));
    expect(quotaText).toContain('今日剩余');
    expect(quotaText).not.toContain('Your image credits');
    const help = await bed.fake.runCommand({ name: 'help', user: li });
    const helpText = textOf(current(await help.waitForText('生成图片')));
    expect(helpText).toContain('**/画图 的选项：**');
    expect(helpText).toContain('`/画图 提示词:…`');
    expect(helpText).toContain('`宽高比`');
    expect(helpText).not.toContain('aspect_ratio');
    expect(helpText).toContain('**重新生成**');
  });

  it('/imagine-admin settings answer a zh-CN admin in Chinese', async () => {
    bed = await beds.start();
    const admin = bed.fake.user('wang', { locale: 'zh-CN' });
    const reply = await bed.fake.runCommand({
      name: 'imagine-admin',
      subcommand: 'settings',
      user: admin,
      memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
    });
    const text = textOf(current(await reply.waitForText('本服务器的图片设置')));
    expect(text).toContain('可使用 /画图 的频道');
    expect(text).toContain('所有频道');
    expect(text).not.toContain('Image settings for this server');
  });
});
