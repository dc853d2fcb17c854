/**
 * The audit channel speaks the server's language (Discord's guild_locale), whoever asked and in
 * whatever language they asked; the usage chart's words are in the admin's language where its
 * Latin-only font can draw them, and otherwise said beside the image, never drawn as '?'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartSpeaks,
  summariseUsage,
  usageChart,
  type AuditEvent,
  CHART_HEIGHT,
  CHART_WIDTH,
} from '../src/audit/index.js';
import { auditLine } from '../src/platforms/discord/audit-line.js';
import {
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
  closeTestBed,
} from './fakes/discord/harness.js';
import { current, textOf, type FakeUser } from './fakes/discord/index.js';
import type { OptionValue } from './fakes/discord/commands.js';
import { imagineIn, newServer, runAdminCommand, type TestServer } from './fakes/discord/servers.js';
import { decodePng } from './fakes/image-api/index.js';

let bed: DiscordTestBed;

beforeAll(async () => {
  bed = await startDiscordTestBed();
});

afterAll(() => closeTestBed(bed));

const runAdmin = (
  server: TestServer,
  admin: FakeUser,
  subcommand: string,
  options: Record<string, OptionValue> = {},
) => runAdminCommand(bed, server, subcommand, options, { user: admin });
const imagine = (server: TestServer, user: FakeUser, prompt: string) =>
  imagineIn(bed, server, user, { prompt });

/** The audit channel's line about `word`, once it is posted. */
async function lineAbout(channelId: string, word: string): Promise<string> {
  const line = await bed.fake.waitFor(
    () => bed.fake.messagesIn(channelId).find((message) => current(message).content.includes(word)),
    `the audit line about ${word}`,
  );
  return current(line).content;
}

/** A server with an audit channel and `dragon` blocked, set up by an admin. */
async function auditedServer(locale: string): Promise<{ server: TestServer; log: string }> {
  const server = newServer(bed, locale);
  const admin = bed.fake.user('admin');
  const log = bed.fake.addChannel({ name: 'image-log', guildId: server.guildId });
  await runAdmin(server, admin, 'audit-channel', { channel: log });
  await runAdmin(server, admin, 'blocklist', { action: 'add', entry: 'dragon' });
  return { server, log: log.id };
}

describe('the audit channel', () => {
  it('of a Chinese server is in Chinese, even for a member whose Discord is in English', async () => {
    const { server, log } = await auditedServer('zh-CN');
    const member = bed.fake.user('lena', { locale: 'en-US' });

    const result = await imagine(server, member, 'a quiet harbour');
    expect(showsImage(result)).toBe(true);
    const made = await lineAbout(log, 'harbour');
    expect(made).toContain(`<@${member.id}> 在 <#${server.channelId}>：“a quiet harbour”`);
    expect(made).toMatch(/ · 1 点额度 · 成功$/);

    // The member reads their refusal in their own language; the admins read the rule in theirs.
    const refused = await imagine(server, member, 'a red dragon');
    expect(refused.content).toContain('A rule of this server blocks that prompt');
    const refusal = await lineAbout(log, 'dragon');
    expect(refusal).toMatch(/已拒绝（prompt_blocked，规则 .*dragon.*）$/);
    expect(refusal).not.toMatch(/refused|credit|succeeded/);
  });

  it('of an English server stays English, even for a member whose Discord is in Chinese', async () => {
    const { server, log } = await auditedServer('en-US');
    const member = bed.fake.user('wei', { locale: 'zh-CN' });

    expect(showsImage(await imagine(server, member, 'a paper lantern'))).toBe(true);
    const made = await lineAbout(log, 'lantern');
    expect(made).toContain(`<@${member.id}> in <#${server.channelId}>: “a paper lantern”`);
    expect(made).toMatch(/ · 1 credit · succeeded$/);

    const refused = await imagine(server, member, 'a dragon kite');
    expect(refused.content).toContain('本服务器的规则');
    expect(await lineAbout(log, 'dragon')).toMatch(/refused \(prompt_blocked, rule .*dragon.*\)$/);
  });

  it('reads a record kept before the language was: in the bot’s DEFAULT_LOCALE', () => {
    const event: AuditEvent = {
      at: Date.UTC(2026, 11, 3, 9, 0),
      outcome: 'failed',
      workspaceId: 'discord:1',
      channelId: '22',
      userKey: 'discord:33',
      userName: 'Lena',
      prompt: 'a storm',
      options: { resolution: '2K', private: false },
      sources: [],
      cost: 2,
      requestId: 'r1',
      failCode: 'content_policy',
    };
    expect(auditLine(event, 'zh-CN').content).toBe(
      '❌ <t:1796288400:t> <@33> 在 <#22>：“a storm” · 2K · 2 点额度 · 失败（content_policy）',
    );
    expect(auditLine(event).content).toBe(
      '❌ <t:1796288400:t> <@33> in <#22>: “a storm” · 2K · 2 credits · failed (content_policy)',
    );
    // A record that kept its server's language reads in it, whatever the default.
    expect(auditLine({ ...event, placeLocale: 'en' }, 'zh-CN').content).toContain('2 credits');
  });
});

describe('the usage chart', () => {
  it('for a Chinese-speaking admin: the chart beside a caption in Chinese, no Chinese drawn as ?', async () => {
    const server = newServer(bed, 'zh-CN');
    const member = bed.fake.user('mei');
    expect(showsImage(await imagine(server, member, 'a bamboo grove'))).toBe(true);

    const admin = bed.fake.user('admin', { locale: 'zh-CN' });
    const usage = await runAdmin(server, admin, 'usage');
    const text = textOf(usage);
    expect(text).toContain('本服务器的图片用量');
    expect(text).toContain(
      '图表说明：上方柱状图为最近 30 天每天消耗的额度（按 UTC 日期），下方为这 30 天用量最多的成员。',
    );
    expect(usage.attachments).toHaveLength(1);
    expect(decodePng(usage.attachments[0]!.bytes)).toMatchObject({
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
    });
  });

  it('for an English-speaking admin: no caption, the chart says it', async () => {
    const server = newServer(bed, 'zh-CN');
    const admin = bed.fake.user('admin', { locale: 'en-GB' });
    const usage = await runAdmin(server, admin, 'usage');
    expect(textOf(usage)).toContain('Image usage in this server');
    expect(textOf(usage)).not.toContain('The chart:');
    expect(usage.embeds[0]!.footer).toBeUndefined();
  });

  it('draws the English words for a language its font has no letters for', () => {
    expect(chartSpeaks('en')).toBe(true);
    expect(chartSpeaks('zh-CN')).toBe(false);
    const report = summariseUsage([], Date.UTC(2026, 11, 3));
    expect(usageChart(report, 'zh-CN').equals(usageChart(report, 'en'))).toBe(true);
  });
});
