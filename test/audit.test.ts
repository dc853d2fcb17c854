import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { CSV_COLUMNS, auditCsv } from '../src/audit/csv.js';
import type { AuditEvent } from '../src/audit/events.js';
import { finishedEvent } from '../src/audit/from-job.js';
import { CHART_HEIGHT, CHART_WIDTH, exportAuditCsv, readUsage } from '../src/audit/index.js';
import { summariseUsage, usageWindowStart } from '../src/audit/usage.js';
import type { JobRecord } from '../src/core/types.js';
import { decodePng } from '../src/simulator/png-decode.js';
import type { Store } from '../src/core/store.js';
import { openStore } from '../src/storage/open-store.js';
import { parseCsv } from './helpers/csv.js';
import { VirtualClock } from './helpers/virtual-clock.js';
import { STORE_CASES } from './helpers/stores.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 15, 30); // 3 December 2026, 15:30 UTC

let opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

let sequence = 0;
function event(overrides: Partial<AuditEvent> & Pick<AuditEvent, 'at' | 'outcome'>): AuditEvent {
  sequence++;
  return {
    workspaceId: 'G1',
    channelId: 'C-art',
    userKey: 'discord:alice',
    userName: 'Alice',
    prompt: 'a red fox',
    options: { resolution: '1K', private: false },
    sources: [],
    cost: 1,
    requestId: `req-${sequence}`,
    ...overrides,
  };
}

/** One generation as the audit sees it: accepted, then succeeded or failed (same request id). */
function generation(
  at: number,
  result: 'succeeded' | 'failed',
  overrides: Partial<AuditEvent> = {},
): AuditEvent[] {
  const accepted = event({ at, outcome: 'accepted', ...overrides });
  const finished: AuditEvent = {
    ...accepted,
    at: at + 20_000,
    outcome: result,
    taskId: `task-${accepted.requestId}`,
    ...(result === 'failed' ? { failCode: '500' } : {}),
  };
  return [accepted, finished];
}

describe.each(STORE_CASES)('the audit log on the $name store', (storeCase) => {
  async function auditLog(clock: VirtualClock, retentionDays = 30): Promise<AuditLog> {
    const location = storeCase.fresh();
    const store = await openStore(location.url, location.prefix ? { prefix: location.prefix } : {});
    opened.push(store);
    return new AuditLog({ store, clock, retentionDays });
  }

  it('gives back a workspace’s events in a time range, oldest first, and no other workspace’s', async () => {
    const clock = new VirtualClock(NOW);
    const audit = await auditLog(clock);
    const refused = event({ at: NOW - 3 * DAY, outcome: 'refused', reason: 'prompt_blocked' });
    const [accepted, finished] = generation(NOW - DAY, 'succeeded', {
      sources: ['cat.png', 'dog, 2.jpg'],
    });
    const elsewhere = event({ at: NOW - DAY, outcome: 'accepted', workspaceId: 'G2' });
    const direct = event({ at: NOW - DAY, outcome: 'accepted', workspaceId: undefined });
    delete direct.workspaceId;
    for (const each of [finished!, elsewhere, accepted!, direct, refused]) await audit.record(each);

    expect(await audit.query('G1', NOW - 10 * DAY, NOW)).toEqual([refused, accepted, finished]);
    expect(await audit.query('G1', NOW - 2 * DAY, NOW)).toEqual([accepted, finished]);
    expect(await audit.query('G2', 0, NOW)).toEqual([elsewhere]);
    expect(await audit.query(undefined, 0, NOW)).toEqual([direct]);
  });

  it('records a redelivered outcome once', async () => {
    const clock = new VirtualClock(NOW);
    const audit = await auditLog(clock);
    const [accepted, finished] = generation(NOW - 60_000, 'failed');
    await audit.record(accepted!);
    await audit.record(accepted!);
    await audit.record(finished!);
    await audit.record(finished!);
    expect(await audit.query('G1', 0, NOW)).toEqual([accepted, finished]);
  });

  it('keeps events for JOB_RETENTION_DAYS and no longer', async () => {
    const clock = new VirtualClock(NOW);
    const audit = await auditLog(clock, 30);
    const old = event({ at: NOW - 29 * DAY, outcome: 'accepted' });
    const recent = event({ at: NOW - DAY, outcome: 'accepted' });
    const tooOld = event({ at: NOW - 31 * DAY, outcome: 'accepted' });
    for (const each of [old, recent, tooOld]) await audit.record(each);
    expect(await audit.query('G1', 0, NOW + DAY)).toEqual([old, recent]);

    await clock.advanceBy(2 * DAY);
    expect(await audit.query('G1', 0, NOW + 3 * DAY)).toEqual([recent]);
  });
});

describe('the usage summary', () => {
  const events = [
    // Today: Alice 2 + 4 credits in #art, one failure; Bob 1 credit in #bots; one refusal.
    ...generation(NOW - 3_600_000, 'succeeded', { cost: 2 }),
    ...generation(NOW - 3_000_000, 'succeeded', { cost: 4 }),
    ...generation(NOW - 2_000_000, 'failed', { cost: 4 }),
    ...generation(NOW - 1_000_000, 'succeeded', {
      userKey: 'discord:bob',
      userName: 'Bob',
      channelId: 'C-bots',
    }),
    event({ at: NOW - 500_000, outcome: 'refused', reason: 'server_daily_exhausted' }),
    // Earlier this month (1 December): Bob 8 credits.
    ...generation(Date.UTC(2026, 11, 1, 9), 'succeeded', {
      cost: 8,
      userKey: 'discord:bob',
      userName: 'Bobby',
      channelId: 'C-bots',
    }),
    // Last month, within 30 days (20 November): Carol 16; and 40 days ago, outside everything.
    ...generation(Date.UTC(2026, 10, 20, 23, 59, 50), 'succeeded', {
      cost: 16,
      userKey: 'slack:T1:carol',
      userName: 'Carol',
    }),
    ...generation(NOW - 40 * DAY, 'succeeded', { cost: 100 }),
  ].sort((a, b) => a.at - b.at);
  const report = summariseUsage(events, NOW);

  it('counts today: credits spent, generations, failure rate, per user and per channel', () => {
    expect(report.today).toMatchObject({
      credits: 7,
      generations: 4,
      succeeded: 3,
      failed: 1,
      refused: 1,
      failureRate: 0.25,
    });
    expect(report.today.byUser).toEqual([
      { key: 'discord:alice', name: 'Alice', credits: 6, generations: 3, failed: 1 },
      { key: 'discord:bob', name: 'Bob', credits: 1, generations: 1, failed: 0 },
    ]);
    expect(report.today.byChannel).toEqual([
      { key: 'C-art', name: 'C-art', credits: 6, generations: 3, failed: 1 },
      { key: 'C-bots', name: 'C-bots', credits: 1, generations: 1, failed: 0 },
    ]);
  });

  it('counts this calendar month and the last 30 days, with each user’s latest name', () => {
    expect(report.month).toMatchObject({ credits: 15, generations: 5, failed: 1 });
    expect(report.month.from).toBe(Date.UTC(2026, 11, 1));
    expect(report.month.byUser.map((row) => [row.name, row.credits])).toEqual([
      ['Bob', 9],
      ['Alice', 6],
    ]);
    expect(report.last30Days).toMatchObject({ credits: 31, generations: 6, failed: 1 });
    expect(report.last30Days.byUser.map((row) => [row.key, row.credits])).toEqual([
      ['slack:T1:carol', 16],
      ['discord:bob', 9],
      ['discord:alice', 6],
    ]);
  });

  it('lists credits per UTC day for the last 30 days, today last', () => {
    expect(report.daily).toHaveLength(30);
    expect(report.daily[0]).toEqual({ day: '2026-11-04', credits: 0 });
    expect(report.daily.at(-1)).toEqual({ day: '2026-12-03', credits: 7 });
    const byDay = Object.fromEntries(report.daily.map((day) => [day.day, day.credits]));
    // Carol's job started at 23:59:50 on the 20th and succeeded 20 s later, on the 21st.
    expect(byDay).toMatchObject({ '2026-11-21': 16, '2026-12-01': 8, '2026-11-20': 0 });
    expect(report.daily.reduce((sum, day) => sum + day.credits, 0)).toBe(report.last30Days.credits);
  });

  it('reads back far enough for both the month and the 30 days', () => {
    expect(usageWindowStart(NOW)).toBe(Date.UTC(2026, 10, 4));
    const endOfMonth = Date.UTC(2026, 11, 31, 12);
    expect(usageWindowStart(endOfMonth)).toBe(Date.UTC(2026, 11, 1));
  });

  it('reports no failure rate when nothing finished', () => {
    const empty = summariseUsage([], NOW);
    expect(empty.today).toMatchObject({ credits: 0, generations: 0, failureRate: null });
    expect(empty.daily.every((day) => day.credits === 0)).toBe(true);
  });
});

describe('the CSV export', () => {
  const awkward = [
    'a fox, a hen',
    'the "best" fox',
    'line one\r\nline two\nline three',
    '=HYPERLINK("http://evil.example","click")',
    '+1 fox',
    '-2 foxes',
    '@SUM(A1:A2)',
    "'quoted already",
    '\tindented',
    '狐狸, 红色',
  ];
  const events: AuditEvent[] = awkward.flatMap((prompt, index) =>
    generation(NOW - (index + 1) * 60_000, index % 2 ? 'failed' : 'succeeded', {
      prompt,
      userName: index === 3 ? '=cmd|" /C calc"!A0' : `User ${index}`,
      sources: index === 1 ? ['fox, 1.png', 'he said "hi".jpg'] : [],
      options: { resolution: '2K', aspectRatio: '16:9', private: index === 2 },
    }),
  );
  events.push(event({ at: NOW, outcome: 'refused', reason: 'channel_not_allowed' }));
  events.push(
    event({ at: NOW, outcome: 'refused', reason: 'prompt_blocked', rule: 'server: re:^=cmd' }),
  );
  const csv = auditCsv(events);

  /** Reads a field back: an apostrophe the export put in front is taken off again. */
  const text = (field: string) => (field.startsWith("'") ? field.slice(1) : field);

  it('parses back to the same records, commas, quotes, line breaks and all', () => {
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(events.length);
    const back = rows.map((row) => {
      const field = Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, text(row[index]!)]));
      const parsed: AuditEvent = {
        at: Date.parse(field.time!),
        outcome: field.outcome as AuditEvent['outcome'],
        workspaceId: field.workspace!,
        channelId: field.channel!,
        userKey: field.user!,
        userName: field.user_name!,
        prompt: field.prompt!,
        options: JSON.parse(field.options!) as AuditEvent['options'],
        sources: JSON.parse(field.sources!) as string[],
        cost: Number(field.cost),
        requestId: field.request_id!,
      };
      if (field.task_id) parsed.taskId = field.task_id;
      if (field.fail_code) parsed.failCode = field.fail_code;
      if (field.reason) parsed.reason = field.reason;
      if (field.rule) parsed.rule = field.rule;
      return parsed;
    });
    expect(back).toEqual(events);
  });

  it('never leaves a field a spreadsheet would run as a formula', () => {
    for (const row of parseCsv(csv).slice(1)) {
      for (const field of row) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"",""click"")`);
  });

  it('ends every record with CRLF, as RFC 4180 says', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(auditCsv([]))).toEqual([[...CSV_COLUMNS]]);
  });
});

describe('reading a workspace’s usage and export from the audit log', () => {
  it('answers with numbers that match the recorded events, a chart, and the CSV of them all', async () => {
    const store = await openStore('memory://');
    opened.push(store);
    const audit = new AuditLog({ store, retentionDays: 30, clock: new VirtualClock(NOW) });
    const recorded = [
      ...generation(NOW - 2 * DAY, 'succeeded', { cost: 4 }),
      ...generation(NOW - 3_600_000, 'failed', { cost: 2 }),
      ...generation(NOW - 60_000, 'succeeded', { cost: 2, userKey: 'u2', userName: 'Bo' }),
    ];
    for (const each of recorded) await audit.record(each);

    const { report, chart } = await readUsage(audit, 'G1', NOW);
    expect(report.today).toMatchObject({ credits: 2, generations: 2, failed: 1, failureRate: 0.5 });
    expect(report.last30Days).toMatchObject({ credits: 6, generations: 3 });
    expect(decodePng(chart)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    const csv = await exportAuditCsv(audit, 'G1', NOW);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + recorded.length);
    expect(await exportAuditCsv(audit, 'G-other', NOW)).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('the finished event of a job', () => {
  const job: JobRecord = {
    requestId: 'req-9',
    user: { key: 'discord:alice', displayName: 'Alice' },
    prompt: 'a fox',
    options: { resolution: '2K', private: false },
    target: { platform: 'discord', channelId: 'C1' },
    sources: [{ url: 'https://cdn.example/cat.png', name: 'cat.png' }],
    cost: 2,
    state: 'failed',
    taskId: 'task-9',
    createdAt: NOW - 60_000,
    finishedAt: NOW,
    updatedAt: NOW,
    outcome: { kind: 'failure', code: 'task_failed', message: 'x', failCode: '501' },
  };

  it('carries who, where, what, cost, task and the API’s failCode', () => {
    expect(finishedEvent(job, { workspaceId: 'G1', channelId: 'C1' })).toEqual({
      at: NOW,
      outcome: 'failed',
      workspaceId: 'G1',
      channelId: 'C1',
      userKey: 'discord:alice',
      userName: 'Alice',
      prompt: 'a fox',
      options: { resolution: '2K', private: false },
      sources: ['cat.png'],
      cost: 2,
      requestId: 'req-9',
      taskId: 'task-9',
      failCode: '501',
    });
  });

  it('falls back to our code when the API gave no failCode, and waits for a running job', () => {
    const noCode = { ...job, outcome: { kind: 'failure' as const, code: 'timeout', message: 'x' } };
    expect(finishedEvent(noCode, {})).toMatchObject({ failCode: 'timeout' });
    expect(finishedEvent(noCode, {})).not.toHaveProperty('workspaceId');
    const running: JobRecord = { ...job, state: 'waiting' };
    delete running.outcome;
    expect(finishedEvent(running, {})).toBeNull();
    const done: JobRecord = {
      ...job,
      state: 'done',
      outcome: { kind: 'success', imageUrls: ['https://x/y.png'], costTimeMs: 1 },
    };
    expect(finishedEvent(done, {})).toMatchObject({ outcome: 'succeeded', cost: 2 });
    expect(finishedEvent(done, {})).not.toHaveProperty('failCode');
  });
});
