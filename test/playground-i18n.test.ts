import { afterEach, describe, expect, it } from 'vitest';
import type { JobCard } from '../src/platforms/playground/room.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';

let harness: PlaygroundHarness | undefined;
const clients: PlaygroundApiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await harness?.close();
  harness = undefined;
});

async function open(viewer: string): Promise<PlaygroundApiClient> {
  harness ??= await startPlayground();
  const client = await PlaygroundApiClient.open(harness.url, viewer);
  clients.push(client);
  return client;
}

/** A line typed on a page switched to `locale`, as the page sends it. */
async function say(client: PlaygroundApiClient, text: string, locale: string): Promise<number> {
  const response = await fetch(new URL('api/command', client.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      viewer: client.viewer,
      channel: 'general',
      text,
      id: clientId(),
      locale,
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

const cardIn = (client: PlaygroundApiClient, state: JobCard['state']) =>
  client.until(
    () =>
      client
        .jobs()
        .map((message) => message.body as JobCard)
        .find((card) => card.state === state),
    `a ${state} card`,
  );

const HAN = /\p{Script=Han}/u;

describe('the playground in Simplified Chinese', { timeout: 60_000 }, () => {
  it('serves the page’s words for a language, and the languages to switch to', async () => {
    harness = await startPlayground();
    const response = await fetch(new URL('api/messages?lang=zh-CN', harness.url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      locale: string;
      languages: { locale: string; name: string }[];
      messages: Record<string, string>;
    };
    expect(body.locale).toBe('zh-CN');
    expect(body.languages).toEqual([
      { locale: 'en', name: 'English' },
      { locale: 'zh-CN', name: '简体中文' },
    ]);
    expect(body.messages['playground.page.send']).toBe('发送');
    // Only the page's own words: not the bot's replies, nor other platforms'.
    expect(Object.keys(body.messages).every((key) => key.startsWith('playground.page.'))).toBe(
      true,
    );

    // A browser's own tags are matched as the bot matches them: Taiwan's Chinese reads zh-CN.
    const taiwan = await fetch(new URL('api/messages?lang=zh-TW,en', harness.url));
    expect(((await taiwan.json()) as { locale: string }).locale).toBe('zh-CN');
    const french = await fetch(new URL('api/messages?lang=fr-FR', harness.url));
    expect(((await french.json()) as { locale: string }).locale).toBe('en');
  });

  it('serves the page in the browser’s language, English otherwise', async () => {
    harness = await startPlayground();
    const chinese = await (
      await fetch(harness.url, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } })
    ).text();
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('>发送</button>');
    expect(chinese).toContain('模拟图像 API');
    const english = await (
      await fetch(harness.url, { headers: { 'accept-language': 'de' } })
    ).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('>Send</button>');
    expect(english).toContain('Simulated image API: images are placeholders made on this machine');
  });

  it('a generation: the card speaks its requester’s language to everyone who reads it', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    expect(await say(ada, '/imagine 一只红狐狸 --ar 16:9', 'zh-CN')).toBe(202);
    const card = await cardIn(ada, 'done');
    expect(card.status).toMatch(/^已完成，用时 \d+ 秒$/);
    expect(card.image?.alt).toBe('根据提示词生成的模拟占位图：一只红狐狸');
    expect(card.actions.map((action) => action.label)).toEqual([
      '重新生成',
      '编辑',
      '变体',
      '放大',
      '分享到 #showcase',
      '删除',
    ]);
    // Ben reads the same card, in Ada's words; his own request is in English.
    const seen = await cardIn(ben, 'done');
    expect(seen.status).toBe(card.status);
    await say(ben, '/imagine a lighthouse', 'en');
    const english = await ben.until(
      () =>
        ben
          .jobs()
          .map((message) => message.body as JobCard)
          .find((job) => job.prompt === 'a lighthouse' && job.state === 'done'),
      'Ben’s card',
    );
    expect(english.status).toMatch(/^Done in \d+ s$/);
  });

  it('a refusal is said privately in the asker’s language', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    await say(ada, '/imagine 一只狐狸 --ar 5:1', 'zh-CN');
    const refusal = await ada.until(() => ada.notices()[0], 'the refusal');
    expect(refusal).toContain('「5:1」不是有效的宽高比');
    expect(ben.notices()).toEqual([]);
    // /quota too, and in English for whoever asks in English.
    await say(ada, '/quota', 'zh-CN');
    await say(ben, '/quota', 'en');
    const quota = await ada.until(() => ada.notices()[1], 'the quota');
    expect(quota).toMatch(/^你今天还剩 20 点额度（共 20 点）/);
    expect(await ben.until(() => ben.notices()[0], 'Ben’s quota')).toMatch(
      /^You have 3 of 3 credits left today\./,
    );
  });

  it('usage for a Chinese-speaking moderator: the figures in Chinese, and beside the chart what it shows', async () => {
    const mo = await open('mo');
    await say(mo, '/imagine admin usage', 'zh-CN');
    const chinese = await mo.until(() => mo.notices()[0], 'the usage in Chinese');
    expect(chinese).toMatch(HAN);
    // The chart's font draws Latin letters only: what it shows is said in Chinese beside it.
    expect(chinese).toContain('图表说明：');
    await say(mo, '/imagine admin usage', 'en');
    const english = await mo.until(() => mo.notices()[1], 'the usage in English');
    expect(english).not.toMatch(HAN);
    expect(english).not.toContain('The chart:');
  });

  it('an attachment the playground no longer keeps is explained in the asker’s language', async () => {
    const ada = await open('ada');
    const response = await fetch(new URL('api/command', ada.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        viewer: 'ada',
        channel: 'general',
        text: '/imagine 夜晚',
        id: clientId(),
        attachments: ['upload-long-gone'],
        locale: 'zh-CN',
      }),
    });
    await response.arrayBuffer();
    const refusal = await ada.until(() => ada.notices()[0], 'the refusal');
    expect(refusal).toContain('演练场已不再保存这张图片，请重新附加');
    expect(ada.jobs()).toEqual([]);
    await say(ada, '/quota', 'zh-CN');
    expect(await ada.until(() => ada.notices()[1], 'the quota')).toMatch(/^你今天还剩 20 点额度/);
  });

  it('an attached file too large is refused in the asker’s language, privately', async () => {
    const ada = await open('ada');
    const ben = await open('ben');
    const query = new URLSearchParams({
      viewer: 'ada',
      channel: 'general',
      id: clientId(),
      name: 'huge.png',
      lang: 'zh-CN',
    });
    const response = await fetch(new URL(`api/upload?${query.toString()}`, ada.base), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(31 * 1024 * 1024),
    });
    expect(await response.json()).toMatchObject({ refused: 'source_too_large' });
    const refusal = await ada.until(() => ada.notices()[0], 'the refusal');
    expect(refusal).toContain('「huge.png」超过了 30 MB');
    expect(ben.notices()).toEqual([]);
  });

  it('an API failure: a Chinese sentence around the API’s own failMsg', async () => {
    const ada = await open('ada');
    await say(ada, '/imagine 一只狐狸 [fail]', 'zh-CN');
    const card = await cardIn(ada, 'failed');
    expect(card.status).toBe(
      "图片生成失败：Sorry, but the image we created may violate OpenAI's content policies.（错误码 400）。你的额度已退还，可以换个说法再试。",
    );
    expect(card.actions.map((action) => action.label)).toEqual(['重试', '删除']);
  });

  it('without a language from the page, answers follow the browser, then DEFAULT_LOCALE', async () => {
    harness = await startPlayground({ env: { DEFAULT_LOCALE: 'zh-CN' } });
    const ada = await open('ada');
    // No `locale` in the body and a browser language the bot does not speak: the default.
    const response = await fetch(new URL('api/command', harness.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'fr-FR' },
      body: JSON.stringify({ viewer: 'ada', channel: 'general', text: '/quota', id: clientId() }),
    });
    expect(response.status).toBe(202);
    expect(await ada.until(() => ada.notices()[0], 'the quota')).toMatch(HAN);
  });
});
