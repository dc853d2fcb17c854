import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import type { AuditEvent } from '../src/audit/events.js';
import type { Store } from '../src/core/store.js';
import { createMetrics } from '../src/http/metrics.js';
import { openStore } from '../src/storage/open-store.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A sample's value in the Prometheus text exposition, by its name and labels as written there. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the metrics exposition after audited generations', () => {
  it('counts credits spent (once per generation) and refusals by reason, with nothing naming a user or a server', async () => {
    const metrics = createMetrics();
    store = await openStore('memory://');
    const audit = new AuditLog({ store, retentionDays: 30, observe: (e) => metrics.audited(e) });

    const now = Date.now();
    const base: Omit<AuditEvent, 'outcome' | 'requestId'> = {
      at: now,
      workspaceId: 'G-secret-server',
      channelId: 'C-art',
      userKey: 'discord:alice-4242',
      userName: 'Alice Secret',
      prompt: 'a fox',
      options: { resolution: '2K', private: false },
      sources: [],
      cost: 2,
    };
    await audit.record({ ...base, outcome: 'accepted', requestId: 'r1' });
    await audit.record({ ...base, outcome: 'succeeded', requestId: 'r1', taskId: 't1' });
    // The same outcome recorded again (a job resumed by another replica) is not spent twice.
    await audit.record({ ...base, outcome: 'succeeded', requestId: 'r1', taskId: 't1' });
    await audit.record({ ...base, outcome: 'accepted', requestId: 'r2', cost: 4 });
    await audit.record({ ...base, outcome: 'succeeded', requestId: 'r2', cost: 4, taskId: 't2' });
    await audit.record({ ...base, outcome: 'accepted', requestId: 'r3' });
    await audit.record({ ...base, outcome: 'failed', requestId: 'r3', failCode: '500' });
    await audit.record({ ...base, outcome: 'refused', requestId: 'r4', reason: 'prompt_blocked' });
    await audit.record({ ...base, outcome: 'refused', requestId: 'r5', reason: 'prompt_blocked' });
    await audit.record({
      ...base,
      outcome: 'refused',
      requestId: 'r6',
      reason: 'server_monthly_exhausted',
    });

    const text = await metrics.registry.metrics();
    expect(sample(text, 'gib_credits_spent_total')).toBe(6);
    expect(sample(text, 'gib_generation_refusals_total{reason="prompt_blocked"}')).toBe(2);
    expect(sample(text, 'gib_generation_refusals_total{reason="server_monthly_exhausted"}')).toBe(
      1,
    );
    for (const secret of ['alice', 'Alice', 'G-secret-server', 'C-art']) {
      expect(text).not.toContain(secret);
    }
  });
});
