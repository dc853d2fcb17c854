import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, CSV_COLUMNS } from '../src/audit/index.js';
import type { Clock } from '../src/core/clock.js';
import {
  createTaskCalls,
  showsFailure,
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
  closeTestBed,
} from './fakes/discord/harness.js';
import {
  current,
  MEMBER_PERMISSIONS,
  Permission,
  textOf,
  type FakeUser,
  type MessageRevision,
} from './fakes/discord/index.js';
import type { FakeRole, OptionValue } from './fakes/discord/commands.js';
import { decodePng } from './fakes/image-api/index.js';
import {
  imagineIn,
  newServer as newTestServer,
  NOBODY_PINGED,
  runAdminCommand,
  type AdminCaller,
  type Ask,
  type TestServer,
} from './fakes/discord/servers.js';
import { parseCsv } from './helpers/csv.js';

/**
 * Real timers, but the date the core reads (quotas, pools, the audit) moved by `offsetMs`: the
 * month test sets it to a month's last minutes, then past its end.
 */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
  setTimeout = (callback: () => void, ms: number): unknown => setTimeout(callback, ms);
  clearTimeout = (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout);
}

const MINUTE = 60_000;
const clock = new ShiftedClock();
/** One bot for the whole file; every test works in a server of its own, so settings never mix. */
let bed: DiscordTestBed;
let admin: FakeUser;

beforeAll(async () => {
  bed = await startDiscordTestBed({ tuning: { clock } });
  admin = bed.fake.user('admin');
});

afterAll(() => closeTestBed(bed));

type Server = TestServer;

const newServer = (): Server => newTestServer(bed);

const runAdmin = (
  server: Server,
  subcommand: string,
  options: Record<string, OptionValue> = {},
  as: Partial<AdminCaller> = {},
): Promise<MessageRevision> =>
  runAdminCommand(bed, server, subcommand, options, { user: admin, ...as });

const imagine = (server: Server, user: FakeUser, ask: Ask = {}): Promise<MessageRevision> =>
  imagineIn(bed, server, user, ask);

const refusedWith = (revision: MessageRevision, text: string | RegExp) => {
  expect(showsImage(revision)).toBe(false);
  expect(textOf(revision)).toMatch(text);
  expect(revision.pings).toEqual(NOBODY_PINGED);
};

async function quotaText(server: Server, user: FakeUser, roles: string[] = []): Promise<string> {
  const reply = await bed.fake.runCommand({
    name: 'quota',
    user,
    guildId: server.guildId,
    channelId: server.channelId,
    memberRoles: roles,
  });
  const message = await reply.waitForResponse((revision) => revision.embeds.length > 0, '/quota');
  return textOf(current(message));
}

describe('/imagine-admin for a non-admin', () => {
  it('is registered for Manage Server only and refuses a member from every subcommand', async () => {
    const command = bed.fake.globalCommands.find((each) => each.name === 'imagine-admin')!;
    expect(command.default_member_permissions).toBe(Permission.ManageGuild.toString());
    expect(command.contexts).toEqual([0]);
    const subcommands = command.options!.map((option) => option.name);
    expect(subcommands.sort()).toEqual(
      [
        'audit-channel',
        'blocklist',
        'budget',
        'channels',
        'credits',
        'export',
        'role-credits',
        'roles',
        'settings',
        'usage',
      ].sort(),
    );

    const server = newServer();
    const member = bed.fake.user('member');
    const role = bed.fake.role('artists');
    const attempts: Record<string, Record<string, OptionValue>> = {
      settings: {},
      budget: { daily: 1 },
      channels: { mode: 'allow', channel: bed.fake.channels.get(server.channelId)! },
      roles: { role },
      'role-credits': { role, daily: 500 },
      blocklist: { action: 'add', entry: 'fox' },
      usage: {},
      export: {},
      'audit-channel': { channel: bed.fake.channels.get(server.channelId)! },
      credits: { user: member, daily: 500 },
    };
    expect(Object.keys(attempts).sort()).toEqual(subcommands);
    for (const [subcommand, options] of Object.entries(attempts)) {
      // Discord's client does not offer it to them…
      await expect(
        bed.fake.runCommand({
          name: 'imagine-admin',
          subcommand,
          options,
          user: member,
          guildId: server.guildId,
          memberPermissions: MEMBER_PERMISSIONS,
        }),
      ).rejects.toThrow(/does not offer/);
      // …and when a server admin grants it anyway, the bot refuses on the permissions it carries.
      const answer = await runAdmin(server, subcommand, options, {
        user: member,
        permissions: MEMBER_PERMISSIONS,
        granted: true,
      });
      expect(textOf(answer)).toContain('Only members with the Manage Server permission');
      expect(answer.attachments).toEqual([]);
    }
    // Leaving an option out changes nothing about who may.
    const incomplete = await runAdmin(
      server,
      'blocklist',
      { action: 'add' },
      { user: member, permissions: MEMBER_PERMISSIONS, granted: true },
    );
    expect(textOf(incomplete)).toContain('Only members with the Manage Server permission');
    // Nothing changed: the admin sees the defaults.
    const settings = textOf(await runAdmin(server, 'settings'));
    expect(settings).toContain('Daily budget\nNo cap');
    expect(settings).toContain('Every channel');
    expect(settings).toContain('Who may generate\nEveryone');
    expect(settings).toContain('**Blocklist**: empty.');
    expect(settings).toContain('Audit channel\nOff');
    expect((await bed.bot.service.status(`discord:${member.id}`)).dailyCredits).toBe(20);
  });
});

describe("a server's daily budget", () => {
  it('refuses past the pool, naming the limit and its reset; a failure refunds it; /quota shows it', async () => {
    const server = newServer();
    const alice = bed.fake.user('alice');
    const saved = textOf(await runAdmin(server, 'budget', { daily: 2 }));
    expect(saved).toContain('Saved the budget');
    expect(saved).toMatch(/Daily budget\n2 credits\n0 used, 2 left · resets in /);
    expect(await quotaText(server, alice)).toMatch(
      /Left today\n20 of 20[\s\S]*Server today\n2 of 2 left for everyone here\nResets in /,
    );

    const before = createTaskCalls(bed.sim).length;
    // 1 credit reserved, then refunded when the API fails it…
    expect(showsFailure(await imagine(server, alice, { prompt: 'a boat [fail]' }))).toBe(true);
    // …so a 2K image (2 credits) still fits the pool of 2.
    expect(showsImage(await imagine(server, alice, { resolution: '2K' }))).toBe(true);
    refusedWith(
      await imagine(server, alice),
      /credits this server shares have 0 left today\. They reset in .+; until then an admin can raise the server's daily budget/,
    );
    expect(createTaskCalls(bed.sim).length - before).toBe(2);
    expect(await quotaText(server, alice)).toMatch(
      /Left today\n18 of 20[\s\S]*Server today\n0 of 2 left for everyone here/,
    );

    // Back to the operator's cap (none here): the next one fits again.
    expect(textOf(await runAdmin(server, 'budget', { reset: 'both' }))).toContain(
      'Daily budget\nNo cap',
    );
    expect(showsImage(await imagine(server, alice))).toBe(true);
  });
});

describe("a server's monthly budget", () => {
  it("refuses in the month's last minutes, naming the reset, and accepts once the UTC month turns", async () => {
    const server = newServer();
    const henry = bed.fake.user('henry');
    const real = new Date();
    clock.offsetMs =
      Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), 1) - 3 * MINUTE - Date.now();
    try {
      expect(textOf(await runAdmin(server, 'budget', { monthly: 2 }))).toContain(
        'Monthly budget\n2 credits',
      );
      const before = createTaskCalls(bed.sim).length;
      expect(showsImage(await imagine(server, henry))).toBe(true);
      expect(showsImage(await imagine(server, henry))).toBe(true);
      refusedWith(
        await imagine(server, henry),
        /credits this server shares have 0 left this month\. They reset in \d+ min \(00:00 UTC\)/,
      );
      expect(createTaskCalls(bed.sim).length - before).toBe(2);

      // Five minutes on: a new UTC month, a fresh pool.
      clock.offsetMs += 5 * MINUTE;
      expect(showsImage(await imagine(server, henry))).toBe(true);
      expect(createTaskCalls(bed.sim).length - before).toBe(3);
    } finally {
      clock.offsetMs = 0;
    }
  });
});

describe('where /imagine works', () => {
  it('refuses in a denied channel and works in another; an allowlist names the allowed channel', async () => {
    const server = newServer();
    const bob = bed.fake.user('bob');
    const lobby = bed.fake.channels.get(server.channelId)!;
    const art = bed.fake.addChannel({ name: 'art', guildId: server.guildId });
    // Threads have ids of their own; the rule follows the channel a thread is in.
    const thread = (parent: { id: string }) =>
      bed.fake.addChannel({
        name: 'a thread',
        guildId: server.guildId,
        type: 11,
        parentId: parent.id,
      });

    const denied = textOf(await runAdmin(server, 'channels', { mode: 'deny', channel: lobby }));
    expect(denied).toContain(`Every channel except <#${lobby.id}>`);
    refusedWith(await imagine(server, bob), 'Image generation is turned off in this channel');
    refusedWith(
      await imagine(server, bob, { channelId: thread(lobby).id }),
      'Image generation is turned off in this channel',
    );
    expect(showsImage(await imagine(server, bob, { channelId: art.id }))).toBe(true);

    const allowed = textOf(await runAdmin(server, 'channels', { mode: 'allow', channel: art }));
    expect(allowed).toContain(`Only in <#${art.id}>`);
    refusedWith(
      await imagine(server, bob),
      `Image generation is not enabled in this channel. Use \`/imagine\` in <#${art.id}>.`,
    );
    expect(showsImage(await imagine(server, bob, { channelId: art.id }))).toBe(true);
    expect(showsImage(await imagine(server, bob, { channelId: thread(art).id }))).toBe(true);
  });
});

describe('who may generate', () => {
  it('gates by role, naming it, and the highest role allowance sets the daily credits', async () => {
    const server = newServer();
    const carol = bed.fake.user('carol');
    const artists: FakeRole = bed.fake.role('artists');
    const patrons: FakeRole = bed.fake.role('patrons');

    expect(textOf(await runAdmin(server, 'roles', { role: artists }))).toContain(
      `Members with <@&${artists.id}>`,
    );
    refusedWith(
      await imagine(server, carol),
      `Only members with the <@&${artists.id}> role can generate images here`,
    );
    expect(showsImage(await imagine(server, carol, { roles: [artists.id] }))).toBe(true);
    await runAdmin(server, 'roles', { role: artists, 'role-2': patrons });
    refusedWith(
      await imagine(server, carol),
      `Only members with one of these roles can generate images here: <@&${artists.id}>, <@&${patrons.id}>.`,
    );
    expect(showsImage(await imagine(server, carol, { roles: [patrons.id] }))).toBe(true);

    await runAdmin(server, 'role-credits', { role: artists, daily: 50 });
    const both = textOf(await runAdmin(server, 'role-credits', { role: patrons, daily: 80 }));
    expect(both).toContain(
      `<@&${patrons.id}>: 80 credits a day\n<@&${artists.id}>: 50 credits a day`,
    );
    expect(await quotaText(server, carol, [artists.id])).toContain('Left today\n48 of 50');
    expect(await quotaText(server, carol, [artists.id, patrons.id])).toContain(
      'Left today\n78 of 80',
    );
    // Removing the allowance puts the member back on their own daily credits.
    await runAdmin(server, 'role-credits', { role: patrons });
    await runAdmin(server, 'role-credits', { role: artists });
    expect(await quotaText(server, carol, [artists.id, patrons.id])).toContain(
      'Left today\n18 of 20',
    );
    expect(textOf(await runAdmin(server, 'roles'))).toContain('Who may generate\nEveryone');
  });
});

describe('the blocklist', () => {
  it('refuses a word, a re: rule, and accented and zero-width variants before any task, and audits it', async () => {
    const server = newServer();
    const dave = bed.fake.user('dave');
    await runAdmin(server, 'blocklist', { action: 'add', entry: 'nude' });
    const listed = textOf(
      await runAdmin(server, 'blocklist', { action: 'add', entry: 're:\\bfox(es)?\\b' }),
    );
    expect(listed).toContain('**Blocklist** (2 entries):\n`nude` · `re:\\bfox(es)?\\b`');
    expect(textOf(await runAdmin(server, 'blocklist', { action: 'list' }))).toContain(
      '`nude` · `re:\\bfox(es)?\\b`',
    );
    const missing = textOf(await runAdmin(server, 'blocklist', { action: 'add' }));
    expect(missing).toContain('needs an `entry` to add or remove');

    const blocked = ['a nude statue', 'two Foxes at dusk', 'a NÚDE statue', 'a nu\u200bde statue'];
    const before = createTaskCalls(bed.sim).length;
    for (const prompt of blocked) {
      const answer = await imagine(server, dave, { prompt });
      refusedWith(answer, 'A rule of this server blocks that prompt');
      // The member is not told which rule.
      expect(textOf(answer)).not.toContain('nude');
    }
    expect(createTaskCalls(bed.sim).length).toBe(before);
    expect(showsImage(await imagine(server, dave, { prompt: 'a foxglove in bloom' }))).toBe(true);

    const rows = await exportedRows(server);
    const refused = rows.filter((row) => row.outcome === 'refused');
    expect(refused.map((row) => row.prompt)).toEqual(blocked);
    expect(refused.every((row) => row.reason === 'prompt_blocked')).toBe(true);
    expect(refused.map((row) => row.rule)).toEqual([
      expect.stringContaining('nude'),
      expect.stringContaining('fox'),
      expect.stringContaining('nude'),
      expect.stringContaining('nude'),
    ]);

    // Removed, the word no longer blocks.
    await runAdmin(server, 'blocklist', { action: 'remove', entry: 'nude' });
    expect(showsImage(await imagine(server, dave, { prompt: 'a nude statue' }))).toBe(true);
  });
});

/** The export's CSV as the admin downloads it, one object per record. */
async function exportedRows(server: Server): Promise<Record<string, string>[]> {
  const answer = await runAdmin(server, 'export');
  expect(answer.attachments).toHaveLength(1);
  const [file] = answer.attachments;
  expect(file!.filename).toMatch(/^image-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...rows] = parseCsv(file!.bytes.toString('utf8'));
  expect(header).toEqual([...CSV_COLUMNS]);
  expect(textOf(answer)).toContain(`audit trail: ${rows.length} record`);
  return rows.map((row) => Object.fromEntries(header!.map((name, index) => [name, row[index]!])));
}

describe('usage and export', () => {
  it('answers with the chart as a PNG and numbers equal to the audit, which exports as CSV', async () => {
    const server = newServer();
    const erin = bed.fake.user('erin');
    const frank = bed.fake.user('frank');
    expect(
      showsImage(await imagine(server, erin, { prompt: 'a kite, "red"', resolution: '2K' })),
    ).toBe(true);
    expect(showsImage(await imagine(server, frank, { prompt: 'a comet' }))).toBe(true);
    expect(showsFailure(await imagine(server, erin, { prompt: 'a storm [fail]' }))).toBe(true);

    const rows = await exportedRows(server);
    const finished = rows.filter((row) => row.outcome !== 'accepted');
    expect(rows.filter((row) => row.outcome === 'accepted')).toHaveLength(3);
    expect(finished.map((row) => [row.outcome, row.prompt]).sort()).toEqual(
      [
        ['failed', 'a storm [fail]'],
        ['succeeded', 'a comet'],
        ['succeeded', 'a kite, "red"'],
      ].sort(),
    );
    const spent = finished
      .filter((row) => row.outcome === 'succeeded')
      .reduce((sum, row) => sum + Number(row.cost), 0);
    expect(spent).toBe(3);

    const usage = await runAdmin(server, 'usage');
    expect(usage.attachments).toHaveLength(1);
    const [chart] = usage.attachments;
    expect(chart!.filename).toBe('usage.png');
    expect(chart!.contentType).toBe('image/png');
    const picture = decodePng(chart!.bytes);
    expect(picture).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([760, 420]);
    expect((usage.embeds[0]!.image as { url: string }).url).toBe('attachment://usage.png');
    const text = textOf(usage);
    expect(text).toContain(`Today (UTC)\n${spent} credits\n3 generations\n33.3% failed\n0 refused`);
    expect(text).toContain(`1. <@${erin.id}>: 2 credits, 2 generations (1 failed)`);
    expect(text).toContain(`2. <@${frank.id}>: 1 credit, 1 generation`);
    expect(text).toContain(`1. <#${server.channelId}>: 3 credits, 3 generations (1 failed)`);

    // Where the file is over what the bot may upload, the admin is told so instead.
    const tooLarge = await runAdmin(server, 'export', {}, { uploadLimit: 1_000 });
    expect(tooLarge.attachments).toEqual([]);
    expect(textOf(tooLarge)).toMatch(
      /^image-audit-\S+\.csv is \d+ KB, over the 1 KB Discord lets the bot upload in this server/,
    );
  });
});

describe('the audit channel', () => {
  it('gets one line per finished or refused generation in the channel an admin chose, and moves with it', async () => {
    const server = newServer();
    const gina = bed.fake.user('gina');
    const log = bed.fake.addChannel({ name: 'image-log', guildId: server.guildId });
    expect(textOf(await runAdmin(server, 'audit-channel', { channel: log }))).toContain(
      `Audit channel\n<#${log.id}>`,
    );
    await runAdmin(server, 'blocklist', { action: 'add', entry: 'dragon' });
    expect(showsImage(await imagine(server, gina, { prompt: 'a quiet harbour' }))).toBe(true);
    const line = await bed.fake.waitFor(
      () =>
        bed.fake.messagesIn(log.id).find((message) => current(message).content.includes('harbour')),
      'the audit line',
    );
    const posted = current(line);
    expect(posted.content).toContain(`<@${gina.id}> in <#${server.channelId}>: “a quiet harbour”`);
    expect(posted.content).toMatch(/1 credit · succeeded$/);
    expect(posted.pings).toEqual(NOBODY_PINGED);

    refusedWith(await imagine(server, gina, { prompt: 'a red dragon' }), 'A rule of this server');
    const refusal = await bed.fake.waitFor(
      () =>
        bed.fake.messagesIn(log.id).find((message) => current(message).content.includes('dragon')),
      'the refusal line',
    );
    // Admins reading the channel see which rule matched.
    expect(current(refusal).content).toMatch(/refused \(prompt_blocked, rule .*dragon/);
    expect(bed.fake.messagesIn(log.id)).toHaveLength(2);

    expect(textOf(await runAdmin(server, 'audit-channel'))).toContain('Audit channel\nOff');
    const moved = bed.fake.addChannel({ name: 'image-log-2', guildId: server.guildId });
    await runAdmin(server, 'audit-channel', { channel: moved });
    expect(showsImage(await imagine(server, gina, { prompt: 'a windmill' }))).toBe(true);
    await bed.fake.waitFor(
      () =>
        bed.fake
          .messagesIn(moved.id)
          .find((message) => current(message).content.includes('windmill')),
      'the line in the new channel',
    );
    expect(bed.fake.messagesIn(log.id)).toHaveLength(2);
  });
});
