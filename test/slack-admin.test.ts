import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH } from '../src/audit/index.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { decodePng } from '../src/simulator/png-decode.js';
import type { SettingsView } from '../src/conversation/index.js';
import { defaultSettings } from '../src/conversation/settings/index.js';
import { settingsModal } from '../src/platforms/slack/render/settings-modal.js';
import { settingsMessage } from '../src/platforms/slack/render/settings.js';
import { validateBlocks } from './fakes/slack/blocks.js';
import { mentionsIn } from './fakes/slack/index.js';
import { validateModal } from './fakes/slack/views.js';
import {
  ADMIN,
  ALICE,
  ART,
  BOB,
  GENERAL,
  dmOf,
  harnessPerTest,
  messageText,
  privateAnswer,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

const harness = harnessPerTest();
let h: SlackHarness | undefined;

const text = messageText;
const DM = dmOf;
const results = (channel: string) =>
  h!.fake.messagesIn(channel).filter((message) => message.files.length > 0);
const command = (user: string, typed: string, channel = GENERAL) =>
  privateAnswer(h!, user, typed, channel);

async function generated(user: string, prompt: string, channel = GENERAL): Promise<void> {
  const before = results(channel).length;
  await h!.fake.slashCommand({ text: prompt, userId: user, channelId: channel });
  await until(() => results(channel).length > before, `the result of "${prompt}"`);
}

describe('workspace pools', () => {
  it('SERVER_DAILY_CREDITS caps the workspace: a failure gives credits back, /imagine quota shows the pool, the refusal names the limit and its reset', async () => {
    h = await harness.start({ mode: 'socket', env: { SERVER_DAILY_CREDITS: '2' } });
    await h.fake.slashCommand({ text: 'a [fail] kite', userId: ALICE, channelId: GENERAL });
    await until(
      () => h!.fake.messagesIn(GENERAL).some((message) => /imagine_retry/.test(text(message))),
      'the failure',
    );
    expect(await command(BOB, 'quota')).toContain('*2 of 2* credits left today in this workspace');

    await generated(ALICE, 'a red kite');
    await generated(BOB, 'a blue kite');
    const refusal = await command(ALICE, 'a green kite');
    expect(refusal).toContain('this workspace shares have 0 left today');
    expect(refusal).toMatch(
      /They reset .*a workspace admin can raise the workspace's daily budget/,
    );
    expect(h.sim.createdTaskCount).toBe(3);
    expect(await command(ALICE, 'quota')).toContain('*0 of 2* credits left today');
  });

  it('an admin sets the daily budget to 1, then back to the operator default', async () => {
    h = await harness.start({ mode: 'socket', env: { SERVER_DAILY_CREDITS: '5' } });
    const set = await command(ADMIN, 'admin budget daily 1');
    expect(set).toContain('Saved: daily budget set to 1 credit.');
    expect(set).toContain('Daily budget: 1 credit\\n');
    await generated(ALICE, 'one lamp');
    expect(await command(BOB, 'two lamps')).toContain('0 left today');

    const back = await command(ADMIN, 'admin budget daily default');
    expect(back).toContain('Daily budget: 5 credits (operator default)');
    expect(back).toContain('Used today: 1 of 5 (4 left)');
    await generated(BOB, 'two lamps');
  });
});

describe('where generation works', () => {
  it('an allowlist keeps it to listed channels, named as channel links; a denylist keeps it out', async () => {
    h = await harness.start({ mode: 'socket' });
    expect(await command(ADMIN, `admin channels allow <#${ART}|art>`)).toContain(
      `Generation works in: only <#${ART}>`,
    );
    expect(await command(ALICE, 'a snail', GENERAL)).toContain(`Use \`/imagine\` in <#${ART}>.`);
    await generated(ALICE, 'a snail', ART);

    await command(ADMIN, `admin channels deny <#${ART}>`);
    expect(await command(ALICE, 'a slug', ART)).toContain('turned off in this channel');
    await generated(ALICE, 'a slug', GENERAL);
    expect(h.sim.createdTaskCount).toBe(2);
  });

  it('with DMs off, /imagine in the DM with the bot is refused', async () => {
    h = await harness.start({ mode: 'socket' });
    h.fake.workspace.imWith(ALICE);
    expect(await command(ADMIN, 'admin dms off')).toContain('Direct messages with me: off');
    expect(await command(ALICE, 'a moth', DM(ALICE))).toContain(
      'turned off in direct messages in this workspace',
    );
    await generated(ALICE, 'a moth', GENERAL);
    expect(h.sim.createdTaskCount).toBe(1);
  });
});

describe('blocked prompts', () => {
  it('a word, a regular expression, an accented and a zero-width variant are refused before any task', async () => {
    h = await harness.start({ mode: 'socket' });
    await command(ADMIN, 'admin blocklist add fox');
    await command(ADMIN, 'admin blocklist add re:drag(o|0)ns?');
    const listed = await command(ADMIN, 'admin blocklist add café');
    expect(listed).toContain('3 entries');
    expect(listed).toContain('`re:drag(o|0)ns?`');
    for (const prompt of ['a FOX in snow', 'two dragons', 'a cafe at night', 'a f\u200Box cub']) {
      const answer = await command(ALICE, prompt);
      expect(answer).toContain('A rule of this workspace blocks that prompt');
      expect(answer).not.toMatch(/fox|drag|caf/i);
    }
    // The refusals came first: this task is the first the image API sees.
    await generated(ALICE, 'a wolf in snow');
    expect(h.sim.createdTaskCount).toBe(1);

    const removed = await command(ADMIN, 'admin blocklist remove fox');
    expect(removed).toContain('2 entries');
    await generated(ALICE, 'a fox in snow');
  });
});

/** RFC 4180 records (CRLF between records, doubled quotes inside quoted fields) as objects. */
function csvRecords(csv: string): Record<string, string>[] {
  const rows: string[][] = [];
  const field = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/gy;
  let row: string[] = [];
  for (let match = field.exec(csv); match && match[0] !== ''; match = field.exec(csv)) {
    const raw = match[1]!;
    row.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (match[2] === ',') continue;
    rows.push(row);
    row = [];
  }
  const [header, ...records] = rows;
  return records.map((record) => Object.fromEntries(header!.map((name, i) => [name, record[i]!])));
}

describe('usage and export', () => {
  it('usage answers with numbers and uploads the chart to the DM; export uploads a CSV that agrees with them', async () => {
    h = await harness.start({ mode: 'socket' });
    await generated(ALICE, 'a pear --res 2K');
    await generated(BOB, 'a plum');
    await command(ADMIN, 'admin blocklist add quince');
    await command(BOB, 'a quince');

    const usage = await command(ADMIN, 'admin usage');
    expect(usage).toContain(
      '*Today*: 3 credits · 2 generations (2 succeeded, 0 failed) · 1 refused · failure rate 0%',
    );
    expect(usage).toContain(`<@${ALICE}> 2 credits (1 generated) · <@${BOB}> 1 credit`);
    expect(usage).toContain(`<#${GENERAL}> 3 credits`);
    expect(usage).toContain('usage.png is in your direct messages with me');
    const chart = await until(
      () => h!.fake.messagesIn(DM(ADMIN)).find((message) => message.files.length === 1),
      'the chart in the DM',
    );
    const png = decodePng(h.fake.fileBytes(chart.files[0]!)!);
    expect([png?.width, png?.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);

    const exported = await command(ADMIN, 'admin export');
    expect(exported).toMatch(/Exported 5 audit records as image-audit-\d{4}-\d\d-\d\d\.csv/);
    const file = await until(
      () => h!.fake.messagesIn(DM(ADMIN)).filter((message) => message.files.length === 1)[1],
      'the CSV in the DM',
    );
    const records = csvRecords(h.fake.fileBytes(file.files[0]!)!.toString('utf8'));
    expect(records).toHaveLength(5);
    const spent = records
      .filter((record) => record.outcome === 'succeeded')
      .reduce((sum, record) => sum + Number(record.cost), 0);
    expect(spent).toBe(3);
    expect(records.filter((record) => record.outcome === 'refused')).toMatchObject([
      { user: `slack:T0FAKE:${BOB}`, reason: 'prompt_blocked', rule: 'server: quince' },
    ]);
  });
});

describe('audit channel', () => {
  it('posts one line per generation that ends or is refused, notifying nobody', async () => {
    h = await harness.start({ mode: 'socket' });
    await command(ADMIN, `admin audit-channel <#${ART}|art>`);
    await command(ADMIN, 'admin blocklist add owl');
    await generated(ALICE, 'a heron <!channel>');
    await command(BOB, `an owl <!here> <@${ALICE}>`);
    const lines = await until(
      () => h!.fake.messagesIn(ART).length >= 2 && h!.fake.messagesIn(ART).map(text),
      'two audit lines',
    );
    // Lines come as generations end, so in no set order.
    expect(lines.find((line) => line.includes('succeeded'))).toMatch(
      /succeeded · alice \(U0ALICE\) · in <#C0GENERAL> · 1 credit · 1K — a heron &lt;!channel&gt;/,
    );
    expect(lines.find((line) => line.includes('refused'))).toMatch(
      /refused · bob \(U0BOB\) · in <#C0GENERAL> · .*reason prompt_blocked · rule server: owl/,
    );
    for (const line of h.fake.messagesIn(ART)) expect(mentionsIn(line)).toEqual([]);
  });
});

describe('who may administer', () => {
  it('SLACK_ADMIN_USERS takes comma-separated member ids; anything else stops start-up with one line', () => {
    const base = {
      AIGPTIMAGE_API_KEY: 'sk-x',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
    };
    expect(
      loadConfig({ ...base, SLACK_ADMIN_USERS: ' U0ALICE, W0BOB ' }).SLACK_ADMIN_USERS,
    ).toEqual(['U0ALICE', 'W0BOB']);
    expect(loadConfig({ ...base, SLACK_ADMIN_USERS: '' }).SLACK_ADMIN_USERS).toBeUndefined();
    let error: unknown;
    try {
      loadConfig({ ...base, SLACK_ADMIN_USERS: 'U0ALICE,@bob' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('SLACK_ADMIN_USERS has "@bob", which is not a Slack member id');
  });

  const ADMIN_COMMANDS = [
    'admin',
    'admin settings',
    'admin budget daily 5',
    'admin budget monthly default',
    `admin channels allow <#${ART}|art>`,
    'admin channels all',
    'admin dms off',
    'admin blocklist add fox',
    'admin blocklist remove fox',
    'admin usage',
    `admin usage <@${ALICE}|alice>`,
    'admin export',
    `admin audit-channel <#${ART}|art>`,
    'admin audit-channel off',
    `admin credits <@${ALICE}|alice> 5`,
  ];

  it('a member is refused from every admin command; one listed in SLACK_ADMIN_USERS is not', async () => {
    h = await harness.start({ mode: 'socket', env: { SLACK_ADMIN_USERS: ALICE } });
    for (const typed of ADMIN_COMMANDS)
      expect(await command(BOB, typed)).toContain('Only workspace admins and owners');
    expect(h.fake.messagesIn(DM(BOB))).toEqual([]);
    expect(await command(ALICE, 'admin dms off')).toContain('Saved: direct messages turned off');
    expect(await command(BOB, 'admin settings')).toContain('Only workspace admins and owners');
    const usage = await command(ALICE, 'admin budget weekly 5');
    expect(usage).toContain('show this workspace’s settings');
    expect(usage).toContain('*Workspace controls* in my App Home');
  });
});

describe('settings within Block Kit limits', () => {
  const longBlocklist = Array.from(
    { length: 500 },
    (_, index) => `entry ${index} ${'<&>'.repeat(60)}`,
  );
  const view: SettingsView = {
    kind: 'settings',
    settings: { ...defaultSettings(), blocklist: longBlocklist },
    budget: {},
    budgetSource: { daily: 'none', monthly: 'none' },
    pools: [],
    sharedBlocklistSize: 0,
  };

  it('a 500-entry blocklist fits a message Slack accepts: sections under 3,000 characters, at most 50 blocks, the rest counted', () => {
    const message = settingsMessage(view);
    expect(validateBlocks(message.blocks, { isShareable: () => false })).toBeUndefined();
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('`entry 0 &lt;&amp;&gt;');
    expect(shown).toMatch(/…and \d+ more/);
  });

  it('the settings form leaves out a blocklist longer than a text input, and still opens', () => {
    const modal = settingsModal(view) as unknown as Record<string, unknown>;
    expect(validateModal(modal)).toBeUndefined();
    expect(JSON.stringify(modal.blocks)).toContain('too long to edit here');
    const small = settingsModal({ ...view, settings: defaultSettings() });
    expect(validateModal(small as unknown as Record<string, unknown>)).toBeUndefined();
    expect(JSON.stringify(small.blocks)).toContain('"block_id":"blocklist"');
  });
});
