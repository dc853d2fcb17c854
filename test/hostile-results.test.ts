import { afterEach, describe, expect, it } from 'vitest';
import { sniffImageType } from '../src/core/fetch/image-type.js';
import type { CoreTuning } from '../src/main.js';
import type { JobCard } from '../src/platforms/playground/room.js';
import { clientId, PlaygroundApiClient } from './browser/playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './browser/playground-harness.js';
import {
  showsFailure,
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
} from './fakes/discord/harness.js';
import { current, textOf, type FakeMessage } from './fakes/discord/index.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { startResultHost, type ResultHost } from './fakes/result-host.js';
import {
  ALICE,
  BOB,
  GENERAL,
  startSlackHarness,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

/**
 * The image API names the URL the bot downloads. Here it names hostile ones (the bot's own
 * /metrics, a redirect chain into loopback, an HTML page, a dripped body, an endless body): each
 * requester is told the image could not be fetched, nothing but an image is ever uploaded, nothing
 * hostile is linked, and another user's normal image is delivered all the same.
 */

const TOLD = 'could not fetch it';

/** Short caps, so a dripping host is dropped in a fraction of a second. */
const QUICK_LIMITS: CoreTuning = {
  downloadLimits: {
    timeoutMs: 10_000,
    minBytesPerSecond: 1_000,
    slowWindowMs: 300,
    maxBytes: 8 * 2 ** 20,
  },
};

/** Hostile hosts are retried before the requester is told; a loaded machine needs room for that. */
const TEST_TIMEOUT_MS = 60_000;

const ENV = { MAX_ACTIVE_PER_USER: '10', USER_DAILY_CREDITS: '100' };

/** Prompt → the result URL the API answers with for it. */
function hostileResults(host: ResultHost, botPort: number): Record<string, string> {
  return {
    'case: the bot own metrics': `http://127.0.0.1:${botPort}/metrics`,
    'case: redirects into loopback': host.redirectChain(3, `http://127.0.0.1:${botPort}/readyz`),
    'case: redirects into a loopback name': host.redirectChain(
      2,
      `http://localhost:${botPort}/readyz`,
    ),
    'case: an html page': host.url('/page.html'),
    'case: a drip-fed body': host.url('/drip.png'),
    'case: an endless body': host.url('/endless.png'),
  };
}

function answerWith(sim: ImageApiSimulator, results: Record<string, string>): void {
  sim.setResultUrl((task) => results[task.input.prompt]);
}

/** What people saw must never carry a hostile address, as text or as a link. */
function expectNothingHostileShown(shown: unknown[], host: ResultHost, botPort: number): void {
  const text = JSON.stringify(shown);
  expect(text).not.toContain(host.origin);
  expect(text).not.toContain(`:${botPort}/`);
}

let host: ResultHost | undefined;
let bed: DiscordTestBed | undefined;
let slack: SlackHarness | undefined;
let playground: PlaygroundHarness | undefined;
let sim: ImageApiSimulator | undefined;
const clients: PlaygroundApiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  if (bed) expect(bed.leakedSecrets()).toEqual([]);
  await Promise.all([bed?.close(), slack?.close(), playground?.close()]);
  await Promise.all([sim?.close(), host?.close()]);
  bed = slack = playground = sim = host = undefined;
});

describe('Discord', () => {
  const attachmentsOf = (messages: FakeMessage[]) =>
    messages.flatMap((message) => message.revisions.flatMap((revision) => revision.attachments));

  it(
    'tells each requester, uploads only the other user’s image, links nothing hostile, refunds',
    async () => {
      host = await startResultHost({ dripIntervalMs: 100 });
      bed = await startDiscordTestBed({
        env: { ...ENV, FETCH_ALLOW_HOSTS: host.allowEntry },
        tuning: QUICK_LIMITS,
      });
      const results = hostileResults(host, bed.bot.httpPort);
      answerWith(bed.sim, results);
      const alice = bed.fake.user('alice');
      const replies = await Promise.all(
        Object.keys(results).map((prompt) =>
          bed!.fake.runCommand({ name: 'imagine', user: alice, options: { prompt } }),
        ),
      );
      const normal = await bed.fake.runCommand({
        name: 'imagine',
        user: bed.fake.user('bob'),
        options: { prompt: 'a red fox in the snow' },
      });

      const bobs = await normal.waitForResponse(showsImage, "bob's image", 45_000);
      for (const reply of replies) {
        const message = await reply.waitForResponse(showsFailure, 'the notice', 45_000);
        expect(textOf(current(message))).toContain(TOLD);
        const job = await bed.bot.service.jobs.get(reply.id);
        expect(job?.outcome).toMatchObject({ code: 'result_unavailable' });
      }
      const messages = [...bed.fake.messages.values()];
      const uploaded = attachmentsOf(messages);
      expect(uploaded).toEqual(attachmentsOf([bobs]));
      expect(uploaded.every((file) => sniffImageType(file.bytes) !== undefined)).toBe(true);
      expectNothingHostileShown(
        messages.flatMap((message) =>
          message.revisions.map(({ content, embeds }) => ({ content, embeds })),
        ),
        host,
        bed.bot.httpPort,
      );
      // Nothing was shown, so nothing was charged.
      expect((await bed.bot.service.status(`discord:${alice.id}`)).used).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'four results dripped a byte a second hold at most three slots; another user’s image is shown meanwhile',
    async () => {
      host = await startResultHost({ dripIntervalMs: 1_000 });
      bed = await startDiscordTestBed({
        env: { ...ENV, FETCH_ALLOW_HOSTS: host.allowEntry },
        // A byte a second is not dropped within this test: only the slots can keep Bob waiting.
        tuning: { downloadLimits: { timeoutMs: 120_000, slowWindowMs: 60_000 } },
      });
      answerWith(bed.sim, {
        'slow 1': host.url('/drip.png'),
        'slow 2': host.url('/drip.png'),
        'slow 3': host.url('/drip.png'),
        'slow 4': host.url('/drip.png'),
      });
      const alice = bed.fake.user('alice');
      const slow = await Promise.all(
        ['slow 1', 'slow 2', 'slow 3', 'slow 4'].map((prompt) =>
          bed!.fake.runCommand({ name: 'imagine', user: alice, options: { prompt } }),
        ),
      );
      await host.waitForOpenDrips(3);

      const normal = await bed.fake.runCommand({
        name: 'imagine',
        user: bed.fake.user('bob'),
        options: { prompt: 'a red fox in the snow' },
      });
      await normal.waitForResponse(showsImage, "bob's image");
      // Bob's image came while the slow host still held Alice's results: three downloads open, the
      // fourth waiting for a turn on that host, and none of them finished.
      expect(host.openDrips).toBe(3);
      for (const reply of slow) {
        const shown = reply.response();
        expect(shown && (showsImage(current(shown)) || showsFailure(current(shown)))).toBeFalsy();
      }

      host.stopDripping();
      for (const reply of slow) {
        const message = await reply.waitForResponse(showsFailure, 'the notice', 45_000);
        expect(textOf(current(message))).toContain(TOLD);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('Slack', () => {
  it(
    'tells each requester in the channel, uploads only the other user’s image, links nothing hostile',
    async () => {
      host = await startResultHost({ dripIntervalMs: 100 });
      slack = await startSlackHarness({
        mode: 'socket',
        // Alice asks for every case at once: more than the harness's usual five in flight.
        env: { FETCH_ALLOW_HOSTS: host.allowEntry, MAX_ACTIVE_PER_USER: '10' },
        tuning: QUICK_LIMITS,
      });
      const results = hostileResults(host, slack.bot.httpPort);
      answerWith(slack.sim, results);
      const { fake } = slack;
      const requests = [];
      for (const prompt of Object.keys(results))
        requests.push(await fake.slashCommand({ text: prompt, userId: ALICE, channelId: GENERAL }));
      await fake.slashCommand({ text: 'a red fox in snow', userId: BOB, channelId: GENERAL });

      const told = () =>
        fake.messagesIn(GENERAL).filter((message) => (message.text ?? '').includes(TOLD));
      await until(() => told().length === requests.length, 'every requester told', 45_000);
      await until(
        () => fake.messagesIn(GENERAL).find((message) => message.files.length > 0),
        "bob's image",
      );
      for (const { triggerId } of requests) {
        const job = await slack.bot.service.jobs.get(triggerId);
        expect(job?.outcome).toMatchObject({ code: 'result_unavailable' });
      }
      const files = [...fake.workspace.files.values()];
      expect(files).toHaveLength(1);
      expect(sniffImageType(files[0]!.bytes!)).toBeDefined();
      expectNothingHostileShown(fake.allMessagesIn(GENERAL), host, slack.bot.httpPort);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('playground', () => {
  it(
    'turns each card into the notice, shows only the other user’s image, links nothing hostile',
    async () => {
      host = await startResultHost({ dripIntervalMs: 100 });
      sim = await startImageApiSimulator({ taskDurationMs: 100 });
      playground = await startPlayground({
        env: {
          ...ENV,
          AIGPTIMAGE_API_KEY: 'sk-test-playground',
          AIGPTIMAGE_BASE_URL: sim.url,
          FETCH_ALLOW_HOSTS: host.allowEntry,
        },
        tuning: QUICK_LIMITS,
      });
      const results = hostileResults(host, playground.bot.httpPort);
      answerWith(sim, results);
      const ada = await PlaygroundApiClient.open(playground.url, 'ada');
      const mo = await PlaygroundApiClient.open(playground.url, 'mo');
      clients.push(ada, mo);
      for (const prompt of Object.keys(results))
        await ada.command(`/imagine ${prompt}`, 'general', clientId());
      await mo.command('/imagine a red fox');

      const cards = () => ada.jobs().map((message) => message.body as JobCard);
      const settled = await ada.until(
        () => {
          const all = cards();
          const done = all.filter((card) => card.state === 'done' || card.state === 'failed');
          return (
            all.length === Object.keys(results).length + 1 && done.length === all.length && all
          );
        },
        'every card settled',
        45_000,
      );
      for (const card of settled) {
        if (card.prompt === 'a red fox') {
          const image = await fetch(new URL(card.image!.url, playground.url));
          expect(sniffImageType(new Uint8Array(await image.arrayBuffer()))).toBeDefined();
          continue;
        }
        expect(card).toMatchObject({ state: 'failed' });
        expect(card.status).toContain(TOLD);
        expect(card.image).toBeUndefined();
      }
      expectNothingHostileShown(settled, host, playground.bot.httpPort);
    },
    TEST_TIMEOUT_MS,
  );
});
