import { describe, expect, it } from 'vitest';
import { encodePng } from './fakes/image-api/index.js';
import type { FakeFile, OpenedView } from './fakes/slack/index.js';
import {
  ADMIN,
  ALICE,
  ART,
  GENERAL,
  dmOf,
  harnessPerTest,
  messageText,
  privateAnswer,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

/**
 * A workspace admin whose Slack is set to Simplified Chinese runs the workspace in Chinese, end to
 * end through the real Bolt app against the fake Slack: App Home's Workspace controls, the Edit
 * settings form and its mistakes, typed settings, the usage report. The English admin beside them
 * keeps today's English; the audit channel speaks the workspace's language (DEFAULT_LOCALE).
 */

const MEI = 'U0MEIADMIN';
const CJK = /[\u4e00-\u9fff]/u;
const harnesses = harnessPerTest();

async function start(env: Record<string, string> = {}): Promise<SlackHarness> {
  const harness = await harnesses.start({ mode: 'socket', taskDurationMs: 100, env });
  harness.fake.workspace.addUser({ id: MEI, name: 'mei', isAdmin: true, locale: 'zh-CN' });
  harness.fake.workspace.channels.get(GENERAL)!.members.add(MEI);
  return harness;
}

/** Opens the App Home tab and waits for the newly published one. */
async function openHome(harness: SlackHarness, user: string): Promise<string> {
  const { fake } = harness;
  const before = fake.workspace.homeViews.get(user)?.length ?? 0;
  await fake.openAppHome(user);
  return until(
    () =>
      (fake.workspace.homeViews.get(user)?.length ?? 0) > before &&
      JSON.stringify(fake.homeOf(user)),
    `${user}'s home tab`,
  );
}

async function openSettings(harness: SlackHarness, user: string): Promise<OpenedView> {
  await openHome(harness, user);
  const before = harness.fake.viewsOpenedBy(user).length;
  await harness.fake.clickInHome({ userId: user, actionId: 'imagine_edit_settings' });
  return until(() => harness.fake.viewsOpenedBy(user)[before], 'the settings modal');
}

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  label?: { text: string };
  hint?: { text: string };
  elements?: Array<{ text?: { text: string } | string }>;
  element?: { options?: Array<{ text: { text: string } }> };
}

const blocksOf = (view: { blocks?: unknown }) => (view.blocks ?? []) as Block[];
const homeBlocks = (harness: SlackHarness, user: string) =>
  blocksOf(harness.fake.homeOf(user) ?? {});
const buttonLabels = (blocks: Block[]) =>
  blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .map((element) => (typeof element.text === 'string' ? element.text : element.text?.text));
const field = (view: OpenedView, blockId: string) =>
  blocksOf(view.view).find((block) => block.block_id === blockId)!;

describe('Slack workspace controls in the admin’s language', () => {
  it('a Chinese admin’s App Home shows the Workspace controls in Chinese; an English admin’s stays English', async () => {
    const harness = await start({ SERVER_DAILY_CREDITS: '40' });
    const home = await openHome(harness, MEI);
    expect(home).toContain('工作区管理');
    expect(home).toContain('每日预算：40 点额度（运营方默认值）');
    expect(home).toContain('每月预算：不设上限');
    expect(home).toContain('可以生成图片的频道：所有频道');
    expect(home).toContain('与我的私信：允许');
    expect(home).toContain('审计频道：无');
    expect(home).toContain('屏蔽的提示词：本工作区自己的 0 条');
    expect(home).toContain('用量图表和 CSV 文件会发到我们的私信里。');
    expect(buttonLabels(homeBlocks(harness, MEI))).toEqual(['编辑设置', '用量报告', '导出 CSV']);
    expect(home).not.toContain('Workspace controls');
    expect(home).not.toContain('Daily budget');

    const english = await openHome(harness, ADMIN);
    expect(english).toContain('Workspace controls');
    expect(english).toContain('Daily budget: 40 credits (operator default)');
    expect(english).toContain('The usage chart and the CSV come to you in our direct messages.');
    expect(buttonLabels(homeBlocks(harness, ADMIN))).toEqual([
      'Edit settings',
      'Usage report',
      'Export CSV',
    ]);
    expect(english).not.toMatch(CJK);
  });

  it('Edit settings opens in Chinese, mistakes are explained under their field in Chinese, and a good form saves', async () => {
    const harness = await start({ SERVER_DAILY_CREDITS: '40' });
    const modal = await openSettings(harness, MEI);
    expect((modal.view.title as { text: string }).text).toBe('工作区设置');
    expect((modal.view.submit as { text: string }).text).toBe('保存');
    expect((modal.view.close as { text: string }).text).toBe('取消');
    expect(field(modal, 'daily_budget').label!.text).toBe('每日预算（额度）');
    expect(field(modal, 'daily_budget').hint!.text).toContain('（目前：40 点额度）');
    expect(field(modal, 'monthly_budget').hint!.text).toContain('（目前：不设上限）');
    expect(field(modal, 'channel_mode').label!.text).toBe('可以使用 /imagine 的频道');
    expect(
      field(modal, 'channel_mode').element!.options!.map((option) => option.text.text),
    ).toEqual(['所有频道', '仅限下面选择的频道', '除下面选择的频道之外的所有频道']);
    expect(field(modal, 'dms').element!.options![0]!.text.text).toBe(
      '允许在与我的私信中使用 /imagine',
    );
    expect(field(modal, 'blocklist').label!.text).toBe('屏蔽的提示词');
    expect(field(modal, 'audit_channel').hint!.text).toBe(
      '每次生成都会在那里记一条。留空则不记录。',
    );

    const notNumber = await harness.fake.submitView({
      userId: MEI,
      view: modal,
      values: { daily_budget: 'lots' },
    });
    expect(notNumber.body.response_action).toBe('errors');
    expect(notNumber.body.errors).toEqual({
      daily_budget: '“lots”不是有效的额度数。请输入 0 或更大的整数，或者留空以使用运营方的默认值。',
    });
    const badRule = await harness.fake.submitView({
      userId: MEI,
      view: modal,
      values: { blocklist: 're:(unclosed' },
    });
    expect(badRule.body.response_action).toBe('errors');
    const ruleError = (badRule.body.errors as Record<string, string>).blocklist!;
    expect(ruleError).toContain('屏蔽词「re:(unclosed」没有保存');

    // The English form is as it was, its hints shown whole.
    const english = await openSettings(harness, ADMIN);
    expect((english.view.title as { text: string }).text).toBe('Workspace settings');
    expect(field(english, 'daily_budget').hint!.text).toBe(
      "Shared by everyone in the workspace, per UTC day. Empty: the operator's default (now 40 credits).",
    );
    expect(JSON.stringify(english.view)).not.toMatch(CJK);

    const saved = await harness.fake.submitView({
      userId: MEI,
      view: modal,
      values: { daily_budget: '7', channel_mode: 'allow', channels: { conversations: [ART] } },
    });
    expect(saved.body.response_action).toBeUndefined();
    const home = await until(() => {
      const latest = JSON.stringify(harness.fake.homeOf(MEI));
      return latest.includes('每日预算：7 点额度') && latest;
    }, 'the home tab with the saved settings');
    expect(home).toContain(`可以生成图片的频道：仅限 <#${ART}>`);
  });

  it('typed settings and their changes answer in Chinese; English stays as it was', async () => {
    const harness = await start();
    const settings = await privateAnswer(harness, MEI, 'admin settings', GENERAL);
    expect(settings).toContain('工作区设置');
    expect(settings).toContain('每日预算：不设上限');
    expect(settings).toContain('*屏蔽的提示词：* 无');
    expect(settings).toContain('修改方式：`/imagine admin budget daily 500`');
    expect(settings).toContain('blocklist add|remove &lt;条目&gt;');

    const dms = await privateAnswer(harness, MEI, 'admin dms off', GENERAL);
    expect(dms).toContain(':white_check_mark: 已保存：已关闭私信。');
    expect(dms).toContain('与我的私信：关闭');
    const budget = await privateAnswer(harness, MEI, 'admin budget daily 500', GENERAL);
    expect(budget).toContain('已保存：每日预算已设为 500 点额度。');
    const blocked = await privateAnswer(harness, MEI, 'admin blocklist add owl', GENERAL);
    expect(blocked).toContain('*屏蔽的提示词：* 1 条');

    const english = await privateAnswer(harness, ADMIN, 'admin audit-channel off', GENERAL);
    expect(english).toContain(':white_check_mark: Saved: audit channel turned off.');
    expect(english).toContain('Daily budget: 500 credits');
    expect(english).toContain('Direct messages with me: off');
    expect(english).toContain('*Blocked prompts:* 1 entry');
    expect(english).not.toMatch(CJK);
  });

  it('the usage report from App Home comes to the Chinese admin’s DM in Chinese', async () => {
    const harness = await start();
    const { fake } = harness;
    await fake.slashCommand({ text: 'a teapot', userId: ALICE, channelId: GENERAL });
    await until(() => fake.messagesIn(GENERAL).some((m) => m.files.length > 0), 'the result');
    await openHome(harness, MEI);
    await fake.clickInHome({ userId: MEI, actionId: 'imagine_usage_report' });
    const numbers = await until(
      () =>
        fake
          .messagesIn(dmOf(MEI))
          .map(messageText)
          .find((text) => text.includes('*今天*')),
      'the usage numbers in Chinese',
    );
    expect(numbers).toContain('本工作区的用量');
    expect(numbers).toContain('*今天*：1 点额度 · 1 次生成（1 次成功，0 次失败）');
    expect(numbers).not.toContain('*Today*');
    // The chart draws Latin letters only: beside it, what it shows, in Chinese.
    expect(numbers).toContain('图表说明：');
  });
});

describe('Slack’s shared and private words outside the settings', () => {
  it('a Chinese member’s forged admin click and form are refused in Chinese in their DM', async () => {
    const harness = await start();
    const { fake } = harness;
    const LEI = 'U0LEI';
    fake.workspace.addUser({ id: LEI, name: 'lei', locale: 'zh-CN' });
    await openHome(harness, ADMIN);
    const adminHome = fake.homeOf(ADMIN)!;
    const modal = await openSettings(harness, ADMIN);
    await fake.clickInHome({ userId: LEI, actionId: 'imagine_edit_settings', home: adminHome });
    await fake.submitView({ userId: LEI, view: modal, values: { daily_budget: '1' } });
    const refusals = await until(() => {
      const dm = fake.messagesIn(dmOf(LEI));
      return dm.length === 2 && dm.map(messageText);
    }, 'two refusals in the DM');
    for (const refusal of refusals)
      expect(refusal).toContain(
        '只有工作区管理员和所有者（以及机器人运营方指定的成员）才能使用管理命令。',
      );
    expect(fake.viewsOpenedBy(LEI)).toEqual([]);
    expect(await privateAnswer(harness, ADMIN, 'admin settings', GENERAL)).toContain(
      'Daily budget: no cap',
    );
  });

  it('the audit channel speaks the workspace’s language (DEFAULT_LOCALE), whoever generated', async () => {
    const harness = await start({ DEFAULT_LOCALE: 'zh-CN' });
    const { fake } = harness;
    await privateAnswer(harness, MEI, `admin audit-channel <#${ART}|art>`, GENERAL);
    await fake.slashCommand({ text: 'a heron', userId: ALICE, channelId: GENERAL });
    const line = await until(
      () =>
        fake
          .messagesIn(ART)
          .map(messageText)
          .find((text) => text.includes('a heron')),
      'the audit line',
    );
    expect(line).toMatch(
      new RegExp(
        `:white_check_mark: 已生成 · alice \\(${ALICE}\\) · 在 <#${GENERAL}> · 1 点额度 · 1K — a heron`,
      ),
    );
  });

  it('a Slack file that cannot be read is explained in the person’s language', async () => {
    const harness = await start();
    const { fake } = harness;
    const sketch = fake.workspace.addUserFile({
      user: MEI,
      name: 'sketch.png',
      bytes: encodePng(8, 8, () => [10, 120, 200]),
      mimetype: 'image/png',
    });
    sketch.deleted = true;
    const before = fake.workspace.views.length;
    await fake.slashCommand({ text: '', userId: MEI, channelId: GENERAL });
    const form = await until(
      () =>
        fake.workspace.views
          .slice(before)
          .find((opened) => opened.view.callback_id === 'imagine_generate_modal'),
      'the generate form',
    );
    await fake.submitView({
      userId: MEI,
      view: form,
      values: {
        prompt: '改成蓝色',
        images: { files: [sketch] as FakeFile[] },
        channel: { conversation: GENERAL },
      },
    });
    const refusal = await until(
      () =>
        fake
          .ephemeralsFor(MEI)
          .map(messageText)
          .find((text) => text.includes('sketch.png')),
      'the refusal',
    );
    expect(refusal).toContain('Slack 返回了 HTTP 404');
    // About the Slack file, not a link "anyone can open".
    expect(refusal).toContain('请确认文件没有被删除');
    expect(refusal).not.toContain('Slack answered');
    expect(harness.sim.tasks.size).toBe(0);
  });
});
