import { describe, expect, it } from 'vitest';
import { summariseUsage, type AuditEvent } from '../src/audit/index.js';
import { loadConfig } from '../src/config.js';

const NOW = Date.UTC(2026, 11, 3, 15, 30);

function event(outcome: AuditEvent['outcome'], at: number, extra: Partial<AuditEvent> = {}) {
  return {
    at,
    outcome,
    workspaceId: 'discord:G1',
    channelId: 'C-art',
    userKey: 'discord:alice',
    userName: 'Alice',
    prompt: 'a lighthouse in fog',
    options: { resolution: '2K', private: false },
    sources: [],
    cost: 2,
    requestId: 'r1',
    ...extra,
  } satisfies AuditEvent;
}

describe('the usage summary of a request recorded as finished twice', () => {
  it('counts only its last outcome: a success that could not be shown is a failure, with no credits spent', () => {
    // A replica showed the result and died before saving that it had; the one that resumed the
    // job could no longer fetch the image, told the member and returned the credits.
    const report = summariseUsage(
      [
        event('accepted', NOW - 60_000),
        event('succeeded', NOW - 40_000, { taskId: 't1' }),
        event('failed', NOW - 10_000, { taskId: 't1', failCode: 'result_unavailable' }),
      ],
      NOW,
    );
    expect(report.today).toMatchObject({
      credits: 0,
      generations: 1,
      succeeded: 0,
      failed: 1,
      failureRate: 1,
    });
    expect(report.today.byUser).toEqual([
      { key: 'discord:alice', name: 'Alice', credits: 0, generations: 1, failed: 1 },
    ]);
    expect(report.daily.at(-1)).toEqual({ day: '2026-12-03', credits: 0 });
  });

  it('takes the failure when both were recorded at the same instant, and leaves other requests alone', () => {
    const report = summariseUsage(
      [
        event('accepted', NOW - 60_000),
        event('accepted', NOW - 50_000, { requestId: 'r2', userKey: 'discord:bob' }),
        event('failed', NOW - 10_000, { failCode: 'result_unavailable' }),
        event('succeeded', NOW - 10_000),
        event('succeeded', NOW - 5_000, { requestId: 'r2', userKey: 'discord:bob' }),
      ],
      NOW,
    );
    expect(report.today).toMatchObject({ credits: 2, succeeded: 1, failed: 1, generations: 2 });
    expect(report.today.byUser.map((row) => [row.key, row.credits, row.failed])).toEqual([
      ['discord:bob', 2, 0],
      ['discord:alice', 0, 1],
    ]);
  });
});

describe('SERVER_DAILY_CREDITS and SERVER_MONTHLY_CREDITS that are not whole credits', () => {
  const base = { AIGPTIMAGE_API_KEY: 'sk-x', DISCORD_TOKEN: 't' };

  it('stop start-up naming every bad variable and its value', () => {
    let message = '';
    try {
      loadConfig({ ...base, SERVER_DAILY_CREDITS: 'lots', SERVER_MONTHLY_CREDITS: '-5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Configuration is not valid/);
    expect(message).toContain('SERVER_DAILY_CREDITS');
    expect(message).toContain('"lots"');
    expect(message).toContain('SERVER_MONTHLY_CREDITS');
    expect(message).toContain('"-5"');
  });

  it('name the variable and the value one at a time', () => {
    for (const [name, value] of [
      ['SERVER_DAILY_CREDITS', '2.5'],
      ['SERVER_DAILY_CREDITS', '-1'],
      ['SERVER_MONTHLY_CREDITS', 'ten'],
    ] as const) {
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(
        new RegExp(`^Configuration is not valid .*: ${name} .*\\(got "${value}"\\)$`),
      );
    }
  });
});
