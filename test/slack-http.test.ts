import { describe, expect, it } from 'vitest';
import { ALICE, GENERAL, until, type SlackHarness, harnessPerTest } from './fakes/slack/harness.js';
import { jobFinished, redeliveryDropped } from './helpers/logged.js';

let h: SlackHarness | undefined;

const harnesses = harnessPerTest();

const FORM = 'application/x-www-form-urlencoded';

describe('Slack HTTP mode on HTTP_PORT at /slack/events', () => {
  it('runs /imagine from a signed request to the result with the uploaded image', async () => {
    h = await harnesses.start({ mode: 'http' });
    const { fake } = h;
    const started = Date.now();
    const ack = await fake.slashCommand({
      text: 'a paper crane --ar 1:1',
      userId: ALICE,
      channelId: GENERAL,
    });
    expect(ack.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    const result = await until(
      () => fake.messagesIn(GENERAL).find((message) => message.files.length > 0),
      'the result',
    );
    const job = await h.bot.service.jobs.get(ack.triggerId);
    if (job?.outcome?.kind !== 'success') throw new Error('no success');
    const generated = Buffer.from(await (await fetch(job.outcome.imageUrls[0]!)).arrayBuffer());
    expect(fake.fileBytes(result.files[0]!)?.equals(generated)).toBe(true);
    await until(() => fake.messagesIn(GENERAL).length === 1, 'the status message to be cleaned up');
    expect(fake.messagesIn(GENERAL)).toEqual([result]);
    // The same server answers health checks: no second port was opened for Slack.
    expect((await fetch(`http://127.0.0.1:${h.bot.httpPort}/healthz`)).status).toBe(200);
  });

  it('refuses forged and stale requests with 401 and does nothing', async () => {
    h = await harnesses.start({ mode: 'http' });
    const { fake } = h;
    const forged = fake.slashCommandBody({ text: 'forged fox', userId: ALICE, channelId: GENERAL });
    const badSignature = await fake.postSigned(forged.body, FORM, {
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(badSignature.status).toBe(401);

    const stale = fake.slashCommandBody({ text: 'stale fox', userId: ALICE, channelId: GENERAL });
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const staleAnswer = await fake.postSigned(stale.body, FORM, { timestamp: tenMinutesAgo });
    expect(staleAnswer.status).toBe(401);

    const unsigned = await fetch(`http://127.0.0.1:${h.bot.httpPort}/slack/events`, {
      method: 'POST',
      body: forged.body,
      headers: { 'content-type': FORM },
    });
    expect(unsigned.status).toBe(401);

    // The receiver checks the signature before anything is dispatched: nothing can follow a 401.
    expect(fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
    expect(fake.workspace.ephemerals).toEqual([]);
    expect(h.sim.requests).toEqual([]);
  });

  it("never starts a second generation for Slack's retries (X-Slack-Retry-Num)", async () => {
    h = await harnesses.start({ mode: 'http' });
    const { fake } = h;
    const first = await fake.slashCommand({ text: 'one owl', userId: ALICE, channelId: GENERAL });
    const retry = await fake.slashCommand({
      text: 'one owl',
      userId: ALICE,
      channelId: GENERAL,
      triggerId: first.triggerId,
      responseUrl: first.responseUrl,
      retry: { attempt: 1, reason: 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await until(
      () => fake.messagesIn(GENERAL).find((message) => message.files.length > 0),
      'the result',
    );
    await redeliveryDropped(h.logs);
    await jobFinished(h.logs);
    expect(h.sim.createdTaskCount).toBe(1);
    expect(fake.allMessagesIn(GENERAL)).toHaveLength(2);
    expect(fake.messagesIn(GENERAL)).toHaveLength(1);
  });

  it('opens the modal for an empty /imagine and shows validation errors in the modal through the HTTP ack', async () => {
    h = await harnesses.start({ mode: 'http' });
    const { fake } = h;
    await fake.slashCommand({ text: '', userId: ALICE, channelId: GENERAL });
    const view = await until(() => fake.viewsOpenedBy(ALICE)[0], 'the modal');
    const refused = await fake.submitView({ userId: ALICE, view, values: { prompt: '   ' } });
    expect(refused.body.response_action).toBe('errors');
    expect((refused.body.errors as Record<string, string>).prompt).toMatch(/prompt is empty/);
    expect(h.sim.createdTaskCount).toBe(0);

    await fake.submitView({
      userId: ALICE,
      view,
      values: { prompt: 'a heron at dawn', aspect_ratio: '9:16', resolution: '2K' },
    });
    const result = await until(
      () => fake.messagesIn(GENERAL).find((message) => message.files.length > 0),
      'the result',
    );
    expect(JSON.stringify(result.blocks)).toContain('9:16 · 2K');
  });
  it("answers Slack's URL verification and delivers events (App Home) over HTTP", async () => {
    h = await harnesses.start({ mode: 'http' });
    const challenge = await h.fake.postSigned(
      JSON.stringify({ token: 'unused', challenge: 'c-123', type: 'url_verification' }),
      'application/json',
    );
    expect(challenge.status).toBe(200);
    expect(challenge.text).toContain('c-123');

    const ack = await h.fake.openAppHome(ALICE);
    expect(ack.status).toBe(200);
    const home = await until(() => h!.fake.homeOf(ALICE), 'the home tab');
    expect(JSON.stringify(home)).toContain('credits left today');
  });
});
