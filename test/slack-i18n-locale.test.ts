import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { boltLogger } from '../src/platforms/slack/bolt-logger.js';
import { UserLocales } from '../src/platforms/slack/user-locales.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from './fakes/slack/index.js';

/** Each person's language comes from Slack's users.info, asked once an hour per person at most. */
let fake: FakeSlack;
let web: webApi.WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  fake.workspace.addUser({ id: 'U0MEI', name: 'mei', locale: 'zh-CN' });
  fake.workspace.addUser({ id: 'U0TW', name: 'wen', locale: 'zh-TW' });
  fake.workspace.addUser({ id: 'U0ANN', name: 'ann', locale: 'en-GB' });
  fake.workspace.addUser({ id: 'U0PIERRE', name: 'pierre', locale: 'fr-FR' });
  web = new webApi.WebClient(FAKE_BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: boltLogger(silentLogger),
  });
});

afterEach(async () => {
  await fake.close();
});

describe('the fake users.info', () => {
  it('says the locale only when include_locale is asked for, as Slack does', async () => {
    const plain = await web.users.info({ user: 'U0MEI' });
    expect(plain.user?.locale).toBeUndefined();
    const asked = await web.users.info({ user: 'U0MEI', include_locale: true });
    expect(asked.user?.locale).toBe('zh-CN');
  });
});

describe('UserLocales', () => {
  it("matches Slack's locale to a language the bot speaks, else the default", async () => {
    const locales = new UserLocales(web, silentLogger, { fallback: 'en' });
    expect(await locales.of('U0MEI')).toBe('zh-CN');
    // Traditional Chinese readers get Simplified Chinese: closer than English.
    expect(await locales.of('U0TW')).toBe('zh-CN');
    expect(await locales.of('U0ANN')).toBe('en');
    expect(await locales.of('U0PIERRE')).toBe('en');
    const chineseDefault = new UserLocales(web, silentLogger, { fallback: 'zh-CN' });
    expect(await chineseDefault.of('U0PIERRE')).toBe('zh-CN');
    expect(
      fake.callsOf('users.info').every((call) => String(call.args.include_locale) === 'true'),
    ).toBe(true);
  });

  it('asks Slack once per person per hour, and again after', async () => {
    let now = 1_000_000;
    const locales = new UserLocales(web, silentLogger, { fallback: 'en', now: () => now });
    expect(await locales.of('U0MEI')).toBe('zh-CN');
    fake.workspace.users.get('U0MEI')!.locale = 'en-US';
    now += 59 * 60_000;
    expect(await locales.of('U0MEI')).toBe('zh-CN');
    expect(fake.callsOf('users.info')).toHaveLength(1);
    now += 2 * 60_000;
    expect(await locales.of('U0MEI')).toBe('en');
    expect(fake.callsOf('users.info')).toHaveLength(2);
  });

  it('keeps a bounded number of people, forgetting the least recently seen', async () => {
    const locales = new UserLocales(web, silentLogger, { fallback: 'en', maxEntries: 2 });
    await locales.of('U0MEI');
    await locales.of('U0ANN');
    await locales.of('U0MEI');
    await locales.of('U0PIERRE');
    expect(fake.callsOf('users.info')).toHaveLength(3);
    await locales.of('U0MEI');
    expect(fake.callsOf('users.info')).toHaveLength(3);
    await locales.of('U0ANN');
    expect(fake.callsOf('users.info')).toHaveLength(4);
  });

  it('answers the default when Slack fails, and asks again a minute later', async () => {
    let now = 1_000_000;
    const locales = new UserLocales(web, silentLogger, { fallback: 'zh-CN', now: () => now });
    fake.failNext('users.info', 'ratelimited');
    expect(await locales.of('U0ANN')).toBe('zh-CN');
    expect(await locales.of('U0ANN')).toBe('zh-CN');
    expect(fake.callsOf('users.info')).toHaveLength(1);
    now += 61_000;
    expect(await locales.of('U0ANN')).toBe('en');
    expect(await locales.of('U0NOBODY')).toBe('zh-CN');
  });
});
