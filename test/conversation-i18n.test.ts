/**
 * The conversation answers each person in their language: the real core against the fake image
 * API and an Answer that records what a platform would have shown. Chinese for a zh-CN (or any
 * Chinese) interaction, English exactly as before for an English one, DEFAULT_LOCALE for a language
 * the bot does not speak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../src/conversation/conversation.js';
import type { Answer } from '../src/conversation/answer.js';
import { unreachable } from '../src/conversation/messages.js';
import type { Intent, Interaction } from '../src/conversation/interaction.js';
import type { ConversationView, NoticeView } from '../src/conversation/views.js';
import { silentLogger } from '../src/core/logger.js';
import { createEditingSupport } from '../src/sources/index.js';
import { createOperatorControls } from '../src/conversation/operator-controls.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { Locale } from '../src/i18n/index.js';
import { ImageFetcher } from '../src/core/images.js';
import { UserError } from '../src/core/errors.js';
import { failureText, renderMessage } from '../src/core/messages.js';
import {
  checkedSettings,
  defaultSettings,
} from '../src/conversation/settings/workspace-settings.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { startTestCore, TEST_KEY, type TestCore } from './helpers/core.js';

describe('the conversation in the person’s language', () => {
  let sim: ImageApiSimulator;
  let core: TestCore;
  let serial = 0;

  beforeAll(async () => {
    sim = await startImageApiSimulator({ taskDurationMs: 30 });
    // Two credits a day: a 4K image (4 credits) is refused for credits.
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 2 });
  });

  afterAll(async () => {
    await core?.close();
    await sim?.close();
  });

  function conversationWith(defaultLocale?: Locale): Conversation {
    return new Conversation({
      service: core.service,
      logger: silentLogger,
      profile: { platform: 'test' },
      editing: createEditingSupport({
        store: core.store,
        fetcher: new ImageFetcher({ apiBaseUrl: sim.url }),
        baseUrl: () => undefined,
        apiKey: TEST_KEY,
        logger: silentLogger,
      }),
      controls: createOperatorControls({
        store: core.store,
        logger: silentLogger,
        retentionDays: 1,
        defaultBudget: {},
      }),
      ...(defaultLocale ? { defaultLocale } : {}),
    });
  }

  /** What one person, with this platform language, was shown privately. */
  async function shownTo(
    locale: string | undefined,
    intent: Intent,
    conversation = conversationWith(),
  ): Promise<ConversationView[]> {
    const views: ConversationView[] = [];
    const answer: Answer = {
      privately: async (view) => void views.push(view),
      placeStatus: async () => ({ target: { platform: 'test' }, withdraw: async () => undefined }),
      openEditForm: async () => undefined,
      pickSource: async () => undefined,
    };
    const who = `reader-${++serial}`;
    const interaction: Interaction = {
      id: `i18n-${process.pid}-${serial}`,
      actor: {
        key: `test:${who}`,
        id: who,
        displayName: who,
        mayModerate: async () => false,
        mayAdminister: async () => false,
        mayPostIn: async () => true,
      },
      place: { platform: 'test', channelId: 'C1', direct: false },
      ...(locale ? { locale } : {}),
      intent,
      answer,
    };
    await conversation.handle(interaction);
    return views;
  }

  const notices = (views: ConversationView[]) =>
    views.filter((view): view is NoticeView => view.kind === 'notice');

  it('refuses an empty prompt in Chinese for a zh-CN reader, and in today’s English for en-US', async () => {
    const chinese = notices(await shownTo('zh-CN', { kind: 'imagine', input: { prompt: '  ' } }));
    expect(chinese).toEqual([
      {
        kind: 'notice',
        tone: 'error',
        code: 'prompt_empty',
        text: '提示词是空的。请描述你想要的图片，例如 `/imagine 雪地里的一只红狐狸`。',
      },
    ]);
    const english = notices(await shownTo('en-US', { kind: 'imagine', input: { prompt: '' } }));
    expect(english.map((notice) => notice.text)).toEqual([
      'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
    ]);
  });

  it('says an invalid option, its valid values and the credits refusal in Chinese', async () => {
    const [badRatio] = notices(
      await shownTo('zh-Hans-CN', {
        kind: 'imagine',
        input: { prompt: '一只猫', aspectRatio: '5:4' },
      }),
    );
    expect(badRatio?.code).toBe('invalid_option');
    expect(badRatio?.text).toBe(
      '「5:4」不是有效的宽高比。可用的值：auto、1:1、4:5、3:4、2:3、16:9、9:16、21:9。',
    );

    const tasksBefore = sim.tasks.size;
    const [tooDear] = notices(
      await shownTo('zh-CN', { kind: 'imagine', input: { prompt: '一只猫', resolution: '4K' } }),
    );
    expect(tooDear?.code).toBe('quota_exhausted');
    // The reset time is said in Chinese too: "… 小时 … 分钟后（UTC 00:00）".
    expect(tooDear?.text).toMatch(
      /^这张图片需要 4 点额度，你今天只剩 2 点。额度将在 (\d+ 小时 )?\d+ 分钟后（UTC 00:00）重置；换用更低的分辨率会便宜一些。$/,
    );
    expect(sim.tasks.size).toBe(tasksBefore);
  });

  it('shows help and /quota in Chinese: summaries, the editing rule, when credits reset', async () => {
    const [help] = await shownTo('zh-CN', { kind: 'help' });
    expect(help?.kind).toBe('help');
    if (help?.kind !== 'help') return;
    expect(help.commands.find((command) => command.name === 'history')?.summary).toBe(
      '你最近 10 次生成的记录，附图片链接。',
    );
    expect(help.actions.find((action) => action.action === 'reroll')?.summary).toBe(
      '用相同的提示词和选项再生成一次',
    );
    expect(help.options.find((option) => option.flag === '--private')?.meaning).toBe(
      '只有你能看到',
    );
    expect(help.pricing.editing).toMatch(/^「编辑」「变体」「放大」的费用/);

    const [quota] = await shownTo('zh-CN', { kind: 'quota' });
    expect(quota?.kind).toBe('quota');
    if (quota?.kind !== 'quota') return;
    expect(quota.resetsIn).toMatch(/^(\d+ 小时 )?\d+ 分钟后（UTC 00:00）$/);

    const [english] = await shownTo('en-GB', { kind: 'quota' });
    if (english?.kind !== 'quota') throw new Error('no quota view');
    expect(english.resetsIn).toMatch(/^in (\d+ h )?\d+ min \(00:00 UTC\)$/);
    expect(english.pricing.editing).toBe(
      "Edit, Vary and Upscale cost what a new image of the result's size costs (Upscale: the next size up).",
    );
  });

  it('keeps the requester’s language on the job: an API failure is said in Chinese, the API’s words as given', async () => {
    const ask = await shownTo('zh-CN', { kind: 'imagine', input: { prompt: '一只猫 [fail]' } });
    expect(notices(ask)).toEqual([]);
    const requestId = `i18n-${process.pid}-${serial}`;
    const failed = await core.delivery.waitForFinal(requestId);
    if (failed.kind !== 'failed') throw new Error(`expected a failure, got ${failed.kind}`);
    const job = await core.service.findJob(requestId);
    expect(job?.locale).toBe('zh-CN');
    // English for logs and older readers, as before.
    expect(failed.message).toMatch(
      /^The image could not be generated: .+\. Your credits were refunded/,
    );
    const failMsg = failed.failMsg ?? '';
    expect(failMsg).not.toBe('');
    expect(failureText(failed, 'zh-CN')).toBe(
      failed.failCode
        ? `图片生成失败：${failMsg}（错误码 ${failed.failCode}）。你的额度已退还，可以换个说法再试。`
        : `图片生成失败：${failMsg}。你的额度已退还，可以换个说法再试。`,
    );
    expect(failureText(failed, 'en')).toBe(failed.message);
    // No words from the API: the bot's own, in the reader's language.
    expect(
      failureText(
        { code: 'generation_failed', message: 'unused', params: { failMsg: null, failCode: null } },
        'zh-CN',
      ),
    ).toBe('图片生成失败：图像服务没有说明原因。你的额度已退还，可以换个说法再试。');
  });

  it('speaks DEFAULT_LOCALE to someone whose language it does not have, or who gave none', async () => {
    const chineseByDefault = conversationWith('zh-CN');
    for (const locale of ['fr', undefined]) {
      const [notice] = notices(
        await shownTo(locale, { kind: 'imagine', input: { prompt: '' } }, chineseByDefault),
      );
      expect(notice?.text).toMatch(/^提示词是空的。/);
    }
    // A language the bot speaks wins over the default.
    const [english] = notices(
      await shownTo('en', { kind: 'imagine', input: { prompt: '' } }, chineseByDefault),
    );
    expect(english?.text).toMatch(/^Your prompt is empty\./);
  });
});

describe('DEFAULT_LOCALE', () => {
  const base = { AIGPTIMAGE_API_KEY: 'sk-test', DISCORD_TOKEN: 'token' };

  it('is English unless set, and takes the languages the bot speaks', () => {
    expect(loadConfig(base).DEFAULT_LOCALE).toBe('en');
    expect(loadConfig({ ...base, DEFAULT_LOCALE: 'zh-CN' }).DEFAULT_LOCALE).toBe('zh-CN');
    expect(loadConfig({ ...base, DEFAULT_LOCALE: '' }).DEFAULT_LOCALE).toBe('en');
  });

  it('refuses another value in one line naming the valid ones', () => {
    expect(() => loadConfig({ ...base, DEFAULT_LOCALE: 'fr' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, DEFAULT_LOCALE: 'fr' })).toThrow(
      'Configuration is not valid (see .env.example for every variable): DEFAULT_LOCALE must be one of en, zh-CN (got "fr")',
    );
  });
});

describe('a refused blocklist entry', () => {
  it('says why in the admin’s language, the engine’s own words kept as they are', () => {
    const refusal = checkedSettings({ ...defaultSettings(), blocklist: ['re:(a|b){2}'] });
    expect(refusal).toBeInstanceOf(UserError);
    const error = refusal as UserError;
    expect(error.code).toBe('blocklist_entry_invalid');
    expect(error.message).toMatch(
      /^The blocklist entry "re:\(a\|b\)\{2\}" was not saved: a repeated group may not itself contain/,
    );
    expect(renderMessage(error.code, error.params, 'zh-CN')).toMatch(
      /^屏蔽词「re:\(a\|b\)\{2\}」没有保存：重复的分组里不能再包含重复或分支.*。请修改后再试。$/,
    );
    const invalid = checkedSettings({ ...defaultSettings(), blocklist: ['re:(fox'] }) as UserError;
    expect(renderMessage(invalid.code, invalid.params, 'zh-CN')).toMatch(
      /没有保存：这不是有效的正则表达式（.*Unterminated group.*）。/,
    );
  });
});

describe('a source image that cannot be fetched', () => {
  it('says why in the reader’s language, English unchanged', () => {
    const error = unreachable('fox.png', 'source.reason.http_status', { status: 404 });
    expect(error.message).toBe(
      'I could not fetch the image "fox.png" (it answered HTTP 404). Check that the link opens the image for anyone, then try again.',
    );
    expect(renderMessage(error.code, error.params, 'zh-CN')).toBe(
      '我无法获取图片「fox.png」（对方返回了 HTTP 404）。请确认任何人都能通过这个链接打开图片，然后再试。',
    );
  });
});
