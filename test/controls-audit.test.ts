import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEvent } from '../src/audit/index.js';
import type { Store } from '../src/core/store.js';
import { CONTENT_POLICY_FAIL_CODE } from '../src/simulator/image-api.js';
import { openStore } from '../src/storage/open-store.js';
import {
  showsFailure,
  showsImage,
  type DiscordTestBed,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, textOf } from './fakes/discord/index.js';
import { eventually } from './helpers/core.js';
import { metricSample } from './helpers/replicas.js';

/**
 * The audit trail and the metrics through the whole bot (startBot, discord.js, the Discord fake,
 * the image API simulator) on SQLite, read back from the store as the usage report reads them.
 */

let bed: DiscordTestBed | undefined;
let store: Store | undefined;
const beds = testBedPerTest();
// Registered later, so it runs first: the test's own view of the store closes before the bot.
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const folder = mkdtempSync(join(tmpdir(), 'gib-controls-audit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

/** A bot on a SQLite file of its own, with this environment, and that store opened beside it. */
async function botOnSqlite(env: Record<string, string> = {}): Promise<DiscordTestBed> {
  const storeUrl = `sqlite://${join(folder, `bot-${++files}.sqlite`)}`;
  bed = await beds.start({ storeUrl, env });
  store = await openStore(storeUrl);
  return bed;
}

/** The workspace's events once `done` holds (finished events are written just after the answer). */
async function auditWhen(
  workspaceId: string,
  done: (events: AuditEvent[]) => boolean,
): Promise<AuditEvent[]> {
  const audit = new AuditLog({ store: store!, retentionDays: 30 });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await audit.query(workspaceId, 0, Date.now() + 1);
    if (done(events) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function outcomesOf(events: AuditEvent[], requestId: string): string[] {
  return events.filter((event) => event.requestId === requestId).map((event) => event.outcome);
}

function imagine(prompt: string, place: { guildId?: string; channelId?: string } = {}) {
  const fake = bed!.fake;
  return fake.runCommand({
    name: 'imagine',
    user: fake.user('mira'),
    options: { prompt },
    ...place,
  });
}

describe(
  'finished generations in the audit trail, through the whole bot',
  { timeout: 60_000 },
  () => {
    it('records one succeeded and one failed event with the place, cost, task and failCode', async () => {
      const { fake, sim } = await botOnSqlite();
      const workspace = `discord:${fake.defaultGuildId}`;
      const [calm, stormy] = await Promise.all([
        imagine('a calm lake at dawn'),
        imagine('a [fail] storm over the sea'),
      ]);
      await calm.waitForResponse(showsImage, 'the result');
      await stormy.waitForResponse(showsFailure, 'the failure');

      const events = await auditWhen(
        workspace,
        (read) => read.filter((event) => event.outcome !== 'accepted').length >= 2,
      );
      expect(outcomesOf(events, calm.id)).toEqual(['accepted', 'succeeded']);
      expect(outcomesOf(events, stormy.id)).toEqual(['accepted', 'failed']);
      const where = { workspaceId: workspace, channelId: fake.defaultChannelId };
      expect(events.find((event) => event.outcome === 'succeeded')).toMatchObject({
        ...where,
        requestId: calm.id,
        prompt: 'a calm lake at dawn',
        cost: 1,
        taskId: sim.taskFor(calm.id)!.taskId,
      });
      expect(events.find((event) => event.outcome === 'failed')).toMatchObject({
        ...where,
        requestId: stormy.id,
        cost: 1,
        taskId: sim.taskFor(stormy.id)!.taskId,
        failCode: CONTENT_POLICY_FAIL_CODE,
      });
    });

    it('records an image the bot could not fetch as failed (result_unavailable), never as succeeded, and returns the server its credit', async () => {
      const { fake, sim } = await botOnSqlite({ SERVER_DAILY_CREDITS: '1' });
      // The API answers with an image on a private address, which the bot refuses to fetch.
      sim.setResultUrl(() => 'http://10.255.255.1/result.png');
      const reply = await imagine('a lighthouse in fog');
      const shown = await reply.waitForResponse(showsFailure, 'the failure');
      expect(textOf(current(shown))).toContain('the bot could not fetch it');

      const workspace = `discord:${fake.defaultGuildId}`;
      const events = await auditWhen(workspace, (read) => read.length >= 2);
      expect(outcomesOf(events, reply.id)).toEqual(['accepted', 'failed']);
      expect(events[1]).toMatchObject({ failCode: 'result_unavailable', cost: 1 });

      // The server's only daily credit came back: the next image fits (and is shown this time).
      sim.setResultUrl(undefined);
      const next = await imagine('a lighthouse in sunshine');
      await next.waitForResponse(showsImage, 'the next result');
      expect(sim.createdTaskCount).toBe(2);
    });
  },
);

describe('PROMPT_BLOCKLIST_FILE and /metrics, through the whole bot', { timeout: 60_000 }, () => {
  it('blocks a listed prompt in every server before any task; /metrics counts spend and refusals, naming no one', async () => {
    const list = join(folder, 'blocked.txt');
    writeFileSync(list, '# shared by every server\ngore\nre:\\bn[a@]ked\\b\n');
    const { fake, sim } = await botOnSqlite({ PROMPT_BLOCKLIST_FILE: list });
    const other = fake.addGuildOnShard(0, 1);

    const blocked = await Promise.all([
      imagine('a GORE scene'),
      imagine('a n@ked statue', other),
      imagine('gore in the second server', other),
    ]);
    const refusals = await Promise.all(
      blocked.map((reply) => reply.waitForText('A rule of this server blocks that prompt')),
    );
    const allowed = await imagine('a gorge at sunset', other);
    await allowed.waitForResponse(showsImage, 'the result');
    // Only the allowed prompt reached the image API.
    expect(sim.createdTaskCount).toBe(1);
    expect(sim.taskFor(allowed.id)).toBeDefined();

    // The rule is kept in the audit for admins; the member was not shown it.
    const events = await auditWhen(`discord:${other.guildId}`, (read) => read.length >= 4);
    expect(events.find((event) => event.prompt === 'a n@ked statue')).toMatchObject({
      outcome: 'refused',
      reason: 'prompt_blocked',
      rule: expect.stringContaining('n[a@]ked') as unknown,
    });
    for (const refusal of refusals) expect(textOf(current(refusal))).not.toMatch(/gore|n\[a@\]ked/);

    // A metric counts an event once it is stored, a moment after another reader can see it: the
    // one image's credit and the three refusals (one in the first server) are counted in time.
    const exposition = await eventually(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${bed!.bot.httpPort}/metrics`)).text();
        const spent = metricSample(text, 'gib_credits_spent_total');
        const refused = metricSample(
          text,
          'gib_generation_refusals_total{reason="prompt_blocked"}',
        );
        return spent === 1 && refused === 3 ? text : undefined;
      },
      5_000,
      'one credit spent and three prompt_blocked refusals on /metrics',
    );
    const spendAndRefusals = exposition
      .split('\n')
      .filter((line) => /^gib_(credits_spent|generation_refusals)_total/.test(line));
    expect(spendAndRefusals).toHaveLength(2);
    const userIds = [...fake.interactions.values()].map((interaction) => interaction.user.id);
    for (const id of [fake.defaultGuildId, other.guildId, other.channelId, ...userIds])
      expect(exposition).not.toContain(id);
  });
});

describe('PROMPT_BLOCKLIST_FILE outside any server', { timeout: 60_000 }, () => {
  it("applies in a DM with the bot too, naming the operator's rule rather than a server's", async () => {
    const list = join(folder, 'blocked-dm.txt');
    writeFileSync(list, 'gore\n');
    const { fake, sim } = await botOnSqlite({ PROMPT_BLOCKLIST_FILE: list });
    const mira = fake.user('mira');
    const dm = fake.addChannel({ name: 'dm', guildId: undefined, type: 1, recipientId: mira.id });
    const inDm = (prompt: string) =>
      fake.runCommand({
        name: 'imagine',
        user: mira,
        guildId: undefined,
        channelId: dm.id,
        options: { prompt },
      });

    const refused = await inDm('gore everywhere');
    const refusal = await refused.waitForText("A rule of this bot's operator blocks that prompt");
    const allowed = await inDm('a gorge at sunset');
    await allowed.waitForResponse(showsImage, 'the result');
    // The refused prompt never reached the image API; the allowed one did.
    expect(sim.createdTaskCount).toBe(1);
    expect(sim.taskFor(allowed.id)).toBeDefined();
    expect(textOf(current(refusal))).not.toContain('gore');
  });
});
