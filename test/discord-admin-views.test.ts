import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseUsage, type AuditEvent } from '../src/audit/index.js';
import type { SettingsView, UsageReportView } from '../src/conversation/index.js';
import { renderView } from '../src/platforms/discord/views.js';
import { startDiscordFake, textOf, current, type DiscordFake } from './fakes/discord/index.js';

/**
 * The admin views at their largest (every list at the settings' own maximum, long names) still
 * fit what Discord takes: posted to the fake, which refuses what Discord would.
 */
let fake: DiscordFake;

beforeAll(async () => {
  fake = await startDiscordFake();
});

afterAll(async () => {
  await fake.close();
});

const snowflake = (index: number) => String(1_200_000_000_000_000_000n + BigInt(index));
const ids = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => snowflake(from + index));

async function post(body: unknown): Promise<number> {
  const response = await fetch(`${fake.apiUrl}/v10/channels/${fake.defaultChannelId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bot ${fake.token}` },
    body: JSON.stringify(body),
  });
  return response.status;
}

describe('the admin views at their largest', () => {
  it('fits the settings with 100 channels, 100 roles and 500 long blocklist entries', async () => {
    const roles = ids(100, 1_000);
    const view: SettingsView = {
      kind: 'settings',
      settings: {
        dailyCredits: 1_000_000_000,
        channels: { mode: 'allow', ids: ids(100) },
        dms: true,
        roles,
        roleAllowances: Object.fromEntries(roles.map((role, index) => [role, index])),
        blocklist: Array.from({ length: 500 }, (_, index) => `${index}\`${'w'.repeat(195)}`),
        auditChannel: snowflake(5),
      },
      budget: { daily: 1_000_000_000, monthly: 50 },
      budgetSource: { daily: 'server', monthly: 'operator' },
      pools: [
        {
          period: 'day',
          limit: 1_000_000_000,
          used: 10,
          remaining: 999_999_990,
          resetsAt: new Date(),
          resetsIn: 'in 3 h 20 min (00:00 UTC)',
        },
      ],
      sharedBlocklistSize: 12,
      changed: { channels: { mode: 'allow', ids: ids(100) } },
    };
    const body = renderView(view);
    expect(await post(body)).toBe(200);
    const text = textOf({ ...current(fake.messagesIn(fake.defaultChannelId).at(-1)!) });
    expect(text).toContain('Saved where /imagine works.');
    expect(text).toMatch(/Only in <#\d+>, <#\d+>.*… and \d+ more/);
    expect(text).toMatch(/\*\*Blocklist\*\* \(500 entries\):\n`0ˋw+`.* · … and \d+ more/);
    expect(text).toContain("The operator's shared list adds 12 entries for every server.");
    expect(text).toContain('Daily budget\n1000000000 credits\n10 used, 999999990 left');
    expect(text).toContain('Monthly budget\n50 credits (operator default)');
  });

  it('fits the usage report with many long-named members and channels', async () => {
    const now = Date.UTC(2026, 11, 3, 12);
    const events: AuditEvent[] = Array.from({ length: 60 }, (_, index) => ({
      at: now - index * 1_000,
      outcome: index % 2 === 0 ? 'accepted' : 'succeeded',
      workspaceId: 'discord:1',
      channelId: snowflake(index),
      userKey: `slack:T1:U${index}`,
      userName: `**${'n'.repeat(200)}** @everyone`,
      prompt: 'p',
      options: { resolution: '4K', private: false },
      sources: [],
      cost: 4,
      requestId: String(Math.floor(index / 2)),
    }));
    const view: UsageReportView = {
      kind: 'usage',
      report: summariseUsage(events, now),
      chart: { name: 'usage.png', contentType: 'image/png', data: Buffer.alloc(0) },
      generatingNow: 2,
    };
    const body = renderView(view);
    expect(await post(body)).toBe(200);
    const posted = current(fake.messagesIn(fake.defaultChannelId).at(-1)!);
    expect(posted.pings).toEqual({ everyone: false, users: [], roles: [] });
    expect(textOf(posted)).toContain('Today (UTC)\n120 credits\n30 generations\n0% failed');
  });
});
