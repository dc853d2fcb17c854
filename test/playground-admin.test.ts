/**
 * The playground's operator controls end to end, over its HTTP API as the page uses it: Mo (the
 * moderator) is the pretend server's admin; Ada and Ben are members. The image API is the fake
 * simulator, so "no task" is checked where the tasks are made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodePng,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';
import { readPngSize } from '../src/simulator/png.js';
import type { JobCard, Notice } from '../src/platforms/playground/room.js';
import { parseCsv } from './helpers/csv.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';

let harness: PlaygroundHarness | undefined;
let sim: ImageApiSimulator | undefined;
const clients: PlaygroundApiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await harness?.close();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

/** A fresh playground on the fake image API, with the three people's pages open. */
async function playground(env: Record<string, string> = {}) {
  sim = await startImageApiSimulator({ taskDurationMs: 100 });
  harness = await startPlayground({
    env: { AIGPTIMAGE_API_KEY: 'sk-playground-admin-0001', AIGPTIMAGE_BASE_URL: sim.url, ...env },
  });
  const open = async (viewer: string) => {
    const client = await PlaygroundApiClient.open(harness!.url, viewer);
    clients.push(client);
    return client;
  };
  return { ada: await open('ada'), ben: await open('ben'), mo: await open('mo') };
}

/** Types a line and returns the private card that answers it. */
async function answerTo(
  client: PlaygroundApiClient,
  text: string,
  channel = 'general',
): Promise<Notice> {
  const before = new Set(client.messages.keys());
  await client.command(text, channel);
  const message = await client.until(
    () =>
      client
        .in(channel)
        .find((message) => !before.has(message.id) && message.body.type === 'notice'),
    `the answer to ${text}`,
  );
  expect(message.visibleTo).toBe(client.viewer);
  return message.body as Notice;
}

const textOf = (notice: Notice) => notice.lines.join('\n');

/** Sends a generation and waits for its card to finish, or for the private refusal. */
async function imagine(client: PlaygroundApiClient, prompt: string, channel = 'general') {
  const id = clientId();
  const before = new Set(client.messages.keys());
  await client.command(`/imagine ${prompt}`, channel, id);
  return client.until(() => {
    const fresh = client.in(channel).filter((message) => !before.has(message.id));
    const card = fresh.find(
      (message) => (message.body as JobCard).requestId === `playground-${id}`,
    );
    if (card && ['done', 'failed'].includes((card.body as JobCard).state))
      return { requestId: `playground-${id}`, card: card.body as JobCard };
    const notice = fresh.find((message) => message.body.type === 'notice');
    return notice && { requestId: `playground-${id}`, refusal: textOf(notice.body as Notice) };
  }, `the outcome of ${prompt}`);
}

const tasksFor = (requestId: string) =>
  [...sim!.tasks.values()].filter((task) => task.requestId === requestId);

async function fetchFile(url: string) {
  const response = await fetch(new URL(url, harness!.url));
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The export's records, each by its column names. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(text);
  return records.map((record) => Object.fromEntries(header!.map((name, i) => [name, record[i]!])));
}

describe('playground: the moderator runs the pretend server', () => {
  it('sets a daily budget: /quota shows the server’s pool and a generation past it is refused with when it resets', async () => {
    const { ada, ben, mo } = await playground();
    const saved = await answerTo(mo, '/imagine admin budget daily 3');
    expect(textOf(saved)).toContain('Saved: the daily budget is 3 credits.');
    expect(textOf(saved)).toMatch(
      /Daily budget: 3 credits \(set here\); 0 used, 3 left, resets in /,
    );
    expect(textOf(await answerTo(ada, '/quota'))).toMatch(
      /This server shares 3 of 3 credits left today \(its daily budget\); they reset in .+\(00:00 UTC\)\./,
    );

    const first = await imagine(ada, 'a lighthouse at dusk --res 2K');
    expect(first.card?.state).toBe('done');
    const second = await imagine(ben, 'a second lighthouse --res 2K');
    expect(second.refusal).toMatch(
      /^This image costs 2 credits and the credits this server shares have 1 left today\. They reset in .+; until then a lower resolution may fit, or an admin can raise the server's daily budget\.$/,
    );
    expect(tasksFor(second.requestId)).toEqual([]);
    expect(textOf(await answerTo(ben, '/quota'))).toContain('This server shares 1 of 3 credits');
    // Back to the operator's default: no cap, and Ben's image goes through.
    expect(textOf(await answerTo(mo, '/imagine admin budget daily default'))).toContain(
      'Daily budget: no cap.',
    );
    expect((await imagine(ben, 'a third lighthouse --res 2K')).card?.state).toBe('done');
  });

  it('blocks a word: the prompt, with accents or hidden characters, is refused before any task; the rule shows in the audit channel to the moderator only', async () => {
    const { ada, ben, mo } = await playground();
    expect(textOf(await answerTo(mo, '/imagine admin blocklist add kraken'))).toContain(
      'Saved: prompts matching `kraken` are blocked.',
    );
    expect(textOf(await answerTo(mo, '/imagine admin audit-channel #showcase'))).toContain(
      'Audit channel: #showcase.',
    );
    for (const prompt of ['a KRAKEN at sea', 'a kráken at sea', 'a kra\u200Bken at sea']) {
      const outcome = await imagine(ada, prompt);
      expect(outcome.refusal).toBe(
        'A rule of this server blocks that prompt, so no image was made and no credits were used. Reword it and try again.',
      );
      expect(tasksFor(outcome.requestId)).toEqual([]);
    }
    expect(textOf(await answerTo(ada, '/quota'))).toMatch(/^You have 20 of 20 credits/);

    const auditLines = () =>
      mo
        .in('showcase')
        .flatMap((message) => (message.body.type === 'notice' ? [textOf(message.body)] : []));
    await mo.until(() => auditLines().length === 3, 'three audit lines');
    expect(auditLines()[0]).toMatch(
      /^Audit: Ada in #general · “a KRAKEN at sea” · 1 credit · refused: prompt_blocked \(rule `server: kraken`\)$/,
    );
    // Members see no audit line: it names the rule.
    expect(ben.in('showcase')).toEqual([]);
    expect(ada.in('showcase').filter((message) => message.body.type === 'notice')).toEqual([]);
  });

  it('keeps generation to chosen channels: a denied channel is refused and told where to go; the allowed one works', async () => {
    const { ada, mo } = await playground();
    expect(textOf(await answerTo(mo, '/imagine admin channels allow #showcase'))).toContain(
      'Channels: only #showcase.',
    );
    const refused = await imagine(ada, 'a map of the coast');
    expect(refused.refusal).toBe(
      'Image generation is not enabled in this channel. Use it in one of these channels: #showcase.',
    );
    expect(tasksFor(refused.requestId)).toEqual([]);
    expect((await imagine(ada, 'a map of the coast', 'showcase')).card?.state).toBe('done');
    expect(textOf(await answerTo(mo, '/imagine admin channels all'))).toContain('Channels: all.');
    expect((await imagine(ada, 'a map of the bay')).card?.state).toBe('done');
  });

  it('usage: numbers that match what happened, and the chart as a valid PNG on the card', async () => {
    const { ada, ben, mo } = await playground();
    await answerTo(mo, '/imagine admin blocklist add kraken');
    expect((await imagine(ada, 'a red fox --res 2K')).card?.state).toBe('done');
    expect((await imagine(ben, 'a grey owl')).card?.state).toBe('done');
    expect((await imagine(ben, 'a kraken')).refusal).toBeDefined();
    expect((await imagine(ben, 'a storm [fail]')).card?.state).toBe('failed');

    const usage = await answerTo(mo, '/imagine admin usage');
    const text = textOf(usage);
    expect(text).toContain(
      'Today: 3 credits, 3 generations (2 succeeded, 1 failed, 1 refused; 33.3% failed).',
    );
    expect(text).toContain('Top people, last 30 days: Ada 2 credits, Ben 1 credit.');
    expect(text).toContain('By channel, last 30 days: #general 3 credits.');
    expect(usage.image?.alt).toMatch(
      /credits spent per day over the last 30 days \(3 credits in all\)/,
    );

    const { response, bytes } = await fetchFile(usage.image!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(readPngSize(bytes)).toEqual({ width: 760, height: 420 });
    // Decodes whole (every chunk and its checksum), not just a valid header.
    expect(decodePng(bytes)?.height).toBe(420);

    // The same figures, counted from the audit trail the export holds.
    const exported = await answerTo(mo, '/imagine admin export');
    const records = csvRecords((await fetchFile(exported.download!.url)).bytes.toString('utf8'));
    const count = (outcome: string) => records.filter((record) => record.outcome === outcome);
    expect(count('accepted')).toHaveLength(3);
    expect(count('succeeded')).toHaveLength(2);
    expect(count('failed')).toHaveLength(1);
    expect(count('refused')).toHaveLength(1);
    expect(count('succeeded').reduce((sum, record) => sum + Number(record.cost), 0)).toBe(3);
  });

  it('export: a CSV file to save that parses back to the audit trail', async () => {
    const { ada, mo } = await playground();
    await answerTo(mo, '/imagine admin blocklist add kraken');
    const made = await imagine(ada, 'a "quoted", comma prompt');
    const blocked = await imagine(ada, 'a kraken, again');
    const exported = await answerTo(mo, '/imagine admin export');
    const day = new Date().toISOString().slice(0, 10);
    expect(exported.download).toMatchObject({
      name: `image-audit-${day}.csv`,
      label: `Download image-audit-${day}.csv`,
    });
    expect(textOf(exported)).toContain('3 records');

    const { response, bytes } = await fetchFile(exported.download!.url);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="image-audit-${day}.csv"`,
    );
    const records = csvRecords(bytes.toString('utf8'));
    expect(records.map((record) => [record.request_id, record.outcome])).toEqual([
      [made.requestId, 'accepted'],
      [made.requestId, 'succeeded'],
      [blocked.requestId, 'refused'],
    ]);
    expect(records[0]).toMatchObject({ prompt: 'a "quoted", comma prompt', user_name: 'Ada' });
    expect(records[2]).toMatchObject({ reason: 'prompt_blocked', rule: 'server: kraken' });
  });

  it('the export is served to the playground’s session only, and a file no longer kept says what to do', async () => {
    const token = 'pg-admin-token-9c2e7f1a4b6d8e05';
    sim = await startImageApiSimulator({ taskDurationMs: 100 });
    harness = await startPlayground({
      env: {
        AIGPTIMAGE_API_KEY: 'sk-playground-admin-0002',
        AIGPTIMAGE_BASE_URL: sim.url,
        HTTP_HOST: '0.0.0.0',
        PLAYGROUND_TOKEN: token,
      },
    });
    const page = harness.url.replace(/\?.*$/, '');
    const session = {
      cookie: (await fetch(harness.url)).headers.get('set-cookie')!.split(';')[0]!,
    };
    const mo = await PlaygroundApiClient.open(page, 'mo', session);
    clients.push(mo);
    const { download } = await answerTo(mo, '/imagine admin export');
    const url = new URL(download!.url, page);
    expect((await fetch(url)).status).toBe(401);
    const saved = await fetch(url, { headers: session });
    expect(saved.status).toBe(200);
    expect((await saved.text()).startsWith('time,outcome,')).toBe(true);

    const gone = await fetch(new URL('api/file?id=0123456789abcdef', page), { headers: session });
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe(
      'This file is no longer kept by the playground. Ask for the usage or the export again.',
    );
  });

  it('admin help answers the syntax as an answer, not a refusal; a mistyped command gets the same syntax as a refusal', async () => {
    const { mo } = await playground();
    const refusalsLogged = () =>
      harness!.logs.filter((line) => line.includes('"code":"admin_usage"')).length;
    const help = await answerTo(mo, '/imagine admin help');
    expect(help.tone).toBe('info');
    expect(textOf(help)).toContain('`/imagine admin credits @user 50`');
    expect(textOf(help)).toContain('`/imagine admin usage`');
    expect(refusalsLogged()).toBe(0);
    const mistyped = await answerTo(mo, '/imagine admin halp');
    expect(mistyped).toMatchObject({ tone: 'error', lines: help.lines });
    expect(refusalsLogged()).toBe(1);
  });

  it('a member is refused from every admin command, and nothing changes', async () => {
    const { ben, mo } = await playground();
    const before = textOf(await answerTo(mo, '/imagine admin settings'));
    for (const command of [
      'settings',
      'budget daily 1',
      'channels allow #showcase',
      'dms off',
      'blocklist add fox',
      'usage',
      'export',
      'audit-channel #showcase',
      'credits @ada 1',
      'help',
    ]) {
      const answer = await answerTo(ben, `/imagine admin ${command}`);
      expect(answer).toMatchObject({
        tone: 'error',
        lines: ['Only moderators can use the admin commands.'],
      });
      expect(answer.download).toBeUndefined();
    }
    expect(textOf(await answerTo(mo, '/imagine admin settings'))).toBe(before);
    expect(textOf(await answerTo(ben, '/quota'))).toMatch(/^You have 3 of 3 credits/);
  });
});
