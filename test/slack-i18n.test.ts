import { describe, expect, it } from 'vitest';
import type { FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  GENERAL,
  harnessPerTest,
  messageText,
  privateAnswer,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

/**
 * Slack in each person's language, end to end through the real Bolt app: Mei's Slack is set to
 * Simplified Chinese and Alice's to English, in the same channel; nobody configured anything.
 */

const MEI = 'U0MEI';
const BOT = 'U0BOT';
const harnesses = harnessPerTest();

async function start(env: Record<string, string> = {}): Promise<SlackHarness> {
  const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100, env });
  harness.fake.workspace.addUser({ id: MEI, name: 'mei', locale: 'zh-CN' });
  harness.fake.workspace.channels.get(GENERAL)!.members.add(MEI);
  return harness;
}

const resultFor = (harness: SlackHarness, prompt: string) =>
  until(
    () =>
      harness.fake
        .messagesIn(GENERAL)
        .find(
          (message: FakeMessage) =>
            message.user === BOT &&
            message.files.length > 0 &&
            messageText(message).includes(prompt),
        ),
    `the result for ${prompt}`,
  );

const buttonLabels = (message: FakeMessage) =>
  (message.blocks as Array<{ type: string; elements?: Array<{ text?: { text?: string } }> }>)
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .map((element) => element.text?.text);

describe('Slack in the person’s language', () => {
  it('a generation: Mei’s status and result speak Chinese, Alice’s in the same channel English', async () => {
    const harness = await start();
    const { fake } = harness;
    await fake.slashCommand({ text: '雪地里的一只红狐狸', userId: MEI, channelId: GENERAL });
    const status = await until(
      () => fake.allMessagesIn(GENERAL).find((message) => message.user === BOT),
      'the status',
    );
    expect(messageText(status)).toMatch(/排队中|正在生成/);
    expect(messageText(status)).toContain(`由 <@${MEI}> 生成`);

    const chinese = await resultFor(harness, '雪地里的一只红狐狸');
    expect(buttonLabels(chinese)).toEqual(['重新生成', '编辑', '变体', '放大', '分享', '删除']);
    expect(messageText(chinese)).toMatch(/用时 \d+ 秒/);

    await fake.slashCommand({ text: 'a red fox in snow', userId: ALICE, channelId: GENERAL });
    const english = await resultFor(harness, 'a red fox in snow');
    expect(buttonLabels(english)).toEqual(['Reroll', 'Edit', 'Vary', 'Upscale', 'Share', 'Delete']);
    expect(messageText(english)).toContain(`requested by <@${ALICE}>`);
    expect(messageText(english)).not.toMatch(/[\u4e00-\u9fff]{2}/u);
  });

  it('a refusal: deleting someone else’s image is refused in Chinese, with Slack’s wording', async () => {
    const harness = await start();
    const { fake } = harness;
    await fake.slashCommand({ text: 'a lighthouse', userId: ALICE, channelId: GENERAL });
    const result = await resultFor(harness, 'a lighthouse');
    await fake.clickButton({ userId: MEI, message: result, actionId: 'imagine_delete' });
    await until(
      () =>
        fake
          .ephemeralsFor(MEI)
          .some((note) =>
            messageText(note).includes('只有请求生成这张图片的人或工作区管理员才能删除它。'),
          ),
      'the refusal in Chinese',
    );
    expect(fake.messagesIn(GENERAL)).toContain(result);
  });

  it('an API failure: the failure is a Chinese sentence around the API’s own words', async () => {
    const harness = await start();
    const { fake } = harness;
    await fake.slashCommand({ text: 'doomed [fail] fox', userId: MEI, channelId: GENERAL });
    const failed = await until(
      () =>
        fake
          .messagesIn(GENERAL)
          .find((message) => message.user === BOT && /图片生成失败/.test(messageText(message))),
      'the failure in Chinese',
    );
    // The API's failMsg is shown as the API gave it.
    expect(messageText(failed)).toMatch(/content policies/);
    expect(buttonLabels(failed)).toEqual(['重试']);
    expect(messageText(failed)).toContain('额度已退还');
  });

  it('help and the generate form speak Chinese; a typed mistake is explained in Chinese', async () => {
    const harness = await start();
    const { fake } = harness;
    const help = await privateAnswer(harness, MEI, 'help', GENERAL);
    expect(help).toContain('用 `/imagine` 生成图片');
    expect(help).toContain('*结果下方的按钮：*');

    const mistake = await privateAnswer(harness, MEI, 'a fox --ar 7:3', GENERAL);
    expect(mistake).toMatch(/[\u4e00-\u9fff]/u);
    expect(mistake).toContain('7:3');

    await fake.slashCommand({ text: '', userId: MEI, channelId: GENERAL });
    const form = await until(() => fake.viewsOpenedBy(MEI)[0], 'the generate form');
    expect((form.view.title as { text: string }).text).toBe('生成图片');
    expect(JSON.stringify(form.view.blocks)).toContain('把结果发到');
  });

  it('App Home speaks Chinese to Mei and English to Alice', async () => {
    const harness = await start();
    const { fake } = harness;
    await fake.openAppHome(MEI);
    const chinese = await until(() => fake.homeOf(MEI), 'Mei’s App Home');
    expect(JSON.stringify(chinese.blocks)).toContain('你的图片');
    expect(JSON.stringify(chinese.blocks)).toContain('新建图片');
    await fake.openAppHome(ALICE);
    const english = await until(() => fake.homeOf(ALICE), 'Alice’s App Home');
    expect(JSON.stringify(english.blocks)).toContain('Your images');
  });

  it('DEFAULT_LOCALE speaks for people whose Slack language the bot does not have', async () => {
    const harness = await start({ DEFAULT_LOCALE: 'zh-CN' });
    harness.fake.workspace.users.get(ALICE)!.locale = 'fr-FR';
    const help = await privateAnswer(harness, ALICE, 'help', GENERAL);
    expect(help).toContain('用 `/imagine` 生成图片');
  });
});
