import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discordPublicKey, isSignedByDiscord } from '../src/platforms/discord/http-interactions.js';
import {
  componentIds,
  createTaskCalls,
  showsImage,
  startExtraBot,
  type DiscordTestBed,
  type ExtraBot,
  expectFoxResult,
  expectOneFoxTask,
  testBedPerTest,
} from './fakes/discord/harness.js';
import { current, MessageFlag, textOf } from './fakes/discord/index.js';
import { redeliveryDropped } from './helpers/logged.js';

let bed: DiscordTestBed | undefined;
let replica: ExtraBot | undefined;

const beds = testBedPerTest();
// Registered later, so it runs first: the extra replica stops before the test bed closes.
afterEach(async () => {
  await replica?.stop();
  replica = undefined;
});

describe('isSignedByDiscord', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const key = discordPublicKey(hex);
  const now = 1_800_000_000_000;
  const timestamp = String(now / 1000);
  const body = Buffer.from('{"type":1}');
  const signature = sign(null, Buffer.from(timestamp + body.toString()), privateKey).toString(
    'hex',
  );

  it('accepts the signature over timestamp + raw body made with the key Discord shows as hex', () => {
    expect(isSignedByDiscord(key, { signature, timestamp, body }, now)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp, a malformed or missing signature', () => {
    const changed = Buffer.from('{"type":2}');
    expect(isSignedByDiscord(key, { signature, timestamp, body: changed }, now)).toBe(false);
    expect(isSignedByDiscord(key, { signature, timestamp: `${timestamp}1`, body }, now)).toBe(
      false,
    );
    expect(isSignedByDiscord(key, { signature: 'zz', timestamp, body }, now)).toBe(false);
    expect(isSignedByDiscord(key, { signature: undefined, timestamp, body }, now)).toBe(false);
  });

  it('refuses a timestamp more than 5 minutes away from now', () => {
    expect(isSignedByDiscord(key, { signature, timestamp, body }, now + 299_000)).toBe(true);
    expect(isSignedByDiscord(key, { signature, timestamp, body }, now + 301_000)).toBe(false);
    expect(isSignedByDiscord(key, { signature, timestamp, body }, now - 301_000)).toBe(false);
  });
});

describe('Discord HTTP interactions (DISCORD_PUBLIC_KEY): verifying what arrives', () => {
  it('answers the signed PING Discord sends when the endpoint URL is saved, and opens no gateway', async () => {
    bed = await beds.start({ httpInteractions: true });
    expect(await bed.fake.pingEndpoint()).toEqual({ status: 200, body: { type: 1 } });
    expect(bed.fake.identifyCount).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${bed.bot.httpPort}/readyz`);
    expect(await ready.json()).toMatchObject({ checks: { discord: true } });
  });

  it('refuses a forged signature with 401 and does nothing', async () => {
    bed = await beds.start({ httpInteractions: true });
    bed.fake.httpTampering = 'forged-signature';
    expect((await bed.fake.pingEndpoint()).status).toBe(401);
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('mallory'),
      options: { prompt: 'a forged fox' },
    });
    // The signature is checked before anything is dispatched: nothing can follow the 401.
    await bed.fake.waitFor(() => bed!.fake.endpointResponses[0], 'the endpoint to answer');
    expect(bed.fake.endpointResponses).toEqual([
      expect.objectContaining({ interactionId: reply.id, status: 401 }),
    ]);
    expect(reply.callbacks).toEqual([]);
    expect(createTaskCalls(bed.sim)).toEqual([]);
    expect(await bed.bot.service.jobs.get(reply.id)).toBeUndefined();
  });

  it('refuses a correctly signed request whose timestamp is over 5 minutes old', async () => {
    bed = await beds.start({ httpInteractions: true });
    bed.fake.httpTampering = 'stale-timestamp';
    expect((await bed.fake.pingEndpoint()).status).toBe(401);
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('eve'),
      options: { prompt: 'a replayed request' },
    });
    // The signature is checked before anything is dispatched: nothing can follow the 401.
    await bed.fake.waitFor(() => bed!.fake.endpointResponses[0], 'the endpoint to answer');
    expect(bed.fake.endpointResponses[0]).toMatchObject({ status: 401 });
    expect(reply.callbacks).toEqual([]);
    expect(createTaskCalls(bed.sim)).toEqual([]);
  });

  it('refuses a request with no signature headers at all', async () => {
    bed = await beds.start({ httpInteractions: true });
    const response = await fetch(`http://127.0.0.1:${bed.bot.httpPort}/discord/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 1 }),
    });
    expect(response.status).toBe(401);
  });
});

describe('Discord HTTP interactions: the same handlers as the gateway', () => {
  it('a signed /imagine is deferred in the HTTP response and edited in place into the uploaded image', async () => {
    bed = await beds.start({ httpInteractions: true });
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a red fox in the snow', aspect_ratio: '16:9', resolution: '2K' },
    });

    const callback = await reply.waitForCallback();
    expect(callback).toMatchObject({ type: 5, status: 200 });
    expect(callback.at - reply.interaction.dispatchedAt).toBeLessThan(3_000);
    expect(callback.data?.flags ?? 0).toBe(0); // public
    // The deferral was the HTTP response itself, not a REST callback.
    expect(bed.fake.endpointResponses[0]).toMatchObject({ status: 200, body: { type: 5 } });
    expect(bed.fake.requests.filter((request) => request.path.endsWith('/callback'))).toEqual([]);

    const message = await expectFoxResult(reply, alice);
    expect(message.revisions.slice(1).every((revision) => revision.via === 'webhook')).toBe(true);
    expect(bed.fake.messagesIn(bed.fake.defaultChannelId)).toHaveLength(1);
    // The deferred message's id was read back, so a late result can still edit it in place.
    expect((await bed.bot.service.jobs.get(reply.id))?.target).toMatchObject({
      messageId: message.id,
    });

    expectOneFoxTask(bed, reply, callback);
  });

  it('edits the same message with the bot token once the interaction token has expired', async () => {
    bed = await beds.start({
      httpInteractions: true,
      fake: { tokenTtlMs: 300 },
      sim: { taskDurationMs: 700 },
    });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'slow and steady' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');
    expect(current(message).via).toBe('channel');
    expect(bed.fake.requests.some((request) => request.errorCode === 50027)).toBe(true);
    expect(bed.fake.messagesIn(bed.fake.defaultChannelId)).toHaveLength(1);
  });

  it('acknowledges within 3 s even when no handler answers (an interaction it does not handle)', async () => {
    bed = await beds.start({ httpInteractions: true });
    const started = Date.now();
    // A user select: Discord may send one, the bot has no handler for it.
    const answer = await bed.fake.postSigned(
      JSON.stringify({
        id: '1300000000000000001',
        application_id: bed.fake.applicationId,
        type: 3,
        token: 'itoken-unhandled',
        version: 1,
        channel_id: bed.fake.defaultChannelId,
        guild_id: bed.fake.defaultGuildId,
        member: {
          user: { id: '1300000000000000002', username: 'alice', discriminator: '0', avatar: null },
          roles: [],
          joined_at: new Date(0).toISOString(),
          permissions: '0',
        },
        app_permissions: '0',
        locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '0': bed.fake.defaultGuildId },
        context: 0,
        attachment_size_limit: 10 * 1024 * 1024,
        data: { custom_id: 'mystery', component_type: 5, values: ['1300000000000000004'] },
        message: {
          id: '1300000000000000003',
          channel_id: bed.fake.defaultChannelId,
          type: 0,
          content: '',
          author: { id: bed.fake.bot.id, username: 'bot', discriminator: '0', avatar: null },
          embeds: [],
          attachments: [],
          components: [],
          timestamp: new Date().toISOString(),
          flags: 0,
        },
      }),
    );
    expect(answer).toEqual({ status: 200, body: { type: 6 } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('the same interaction POSTed twice creates one task and one message', async () => {
    bed = await beds.start({ httpInteractions: true });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'a twice-sent request' },
    });
    await reply.waitForResponse(showsImage, 'the result');
    bed.fake.redeliver(reply);
    await bed.fake.waitFor(() => bed!.fake.endpointResponses[1], 'the second answer', 5_000);
    await redeliveryDropped(bed.logs, reply.id);
    expect(createTaskCalls(bed.sim)).toHaveLength(1);
    expect(bed.fake.messagesIn(bed.fake.defaultChannelId)).toHaveLength(1);
  });

  it('an empty prompt is answered privately in the HTTP response itself, without deferring', async () => {
    bed = await beds.start({ httpInteractions: true });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: '   ' },
    });
    const callback = await reply.waitForCallback();
    expect(callback.type).toBe(4);
    expect(Number(callback.data?.flags) & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(bed.fake.endpointResponses[0]).toMatchObject({ status: 200, body: { type: 4 } });
    await reply.waitForText('Your prompt is empty');
    expect(createTaskCalls(bed.sim)).toHaveLength(0);
  });

  it('spent credits are refused privately after the public deferral, as over the gateway', async () => {
    bed = await beds.start({ httpInteractions: true, env: { USER_DAILY_CREDITS: '0' } });
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: bed.fake.user('alice'),
      options: { prompt: 'no credits left' },
    });
    const refusal = await reply.waitForText('credits');
    expect(current(refusal).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(createTaskCalls(bed.sim)).toEqual([]);
  });

  it('/quota answers over HTTP', async () => {
    bed = await beds.start({ httpInteractions: true });
    const reply = await bed.fake.runCommand({ name: 'quota', user: bed.fake.user('alice') });
    const message = await reply.waitForText('Left today');
    expect(current(message).flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(reply.callbacks).toEqual([expect.objectContaining({ type: 5, status: 200 })]);
  });

  it('buttons work over HTTP: Reroll makes a new image, Share posts with the bot token, Delete removes it', async () => {
    bed = await beds.start({ httpInteractions: true });
    const team = bed.fake.addChannel({ name: 'team-art' });
    const alice = bed.fake.user('alice');
    const bob = bed.fake.user('bob');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a paper kite', quality: 'low' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');

    const reroll = await bed.fake.clickButton(message, `reroll:${reply.id}`, { user: bob });
    const rerolled = await reroll.waitForResponse(showsImage, 'the rerolled result');
    expect(rerolled.id).not.toBe(message.id);
    expect(textOf(current(rerolled))).toContain(`<@${bob.id}>`);
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([reply.id, reroll.id]);
    expect(createTaskCalls(bed.sim)[1]!.body).toMatchObject({
      input: { prompt: 'a paper kite', quality: 'low' },
    });

    const share = await bed.fake.clickButton(message, `share:${reply.id}`, { user: alice });
    const picker = await share.waitForResponse(
      (revision) => componentIds(revision).includes(`share-to:${reply.id}`),
      'the channel picker',
    );
    const pick = await bed.fake.selectChannel(picker, `share-to:${reply.id}`, team.id, {
      user: alice,
    });
    await pick.waitForText(`Shared in <#${team.id}>`);
    expect(bed.fake.messagesIn(team.id)).toHaveLength(1);

    await bed.fake.clickButton(message, `delete:${reply.id}`, { user: alice });
    await bed.fake.waitFor(
      () => (bed!.fake.messages.get(message.id)?.deleted ? true : undefined),
      'the result to be deleted',
    );
    // Every one of them was acknowledged in its HTTP response.
    expect(bed.fake.endpointResponses.map((answer) => answer.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(bed.fake.requests.filter((request) => request.path.endsWith('/callback'))).toEqual([]);
  });
});

describe('Discord HTTP interactions: replicas behind a load balancer', () => {
  it("another replica on the same store takes the button click on the first one's result", async () => {
    // Two processes sharing one store (SQLite here; Redis in production) and one public key.
    const storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gib-http-')), 'bot.sqlite')}`;
    bed = await beds.start({ httpInteractions: true, storeUrl });
    replica = await startExtraBot(bed, {
      storeUrl,
      env: { DISCORD_PUBLIC_KEY: bed.discordPublicKey! },
    });
    const alice = bed.fake.user('alice');
    const reply = await bed.fake.runCommand({
      name: 'imagine',
      user: alice,
      options: { prompt: 'a kite over two hills', resolution: '2K' },
    });
    const message = await reply.waitForResponse(showsImage, 'the result');

    // The load balancer sends the next request to the other replica.
    bed.fake.interactionsEndpoint = {
      ...bed.fake.interactionsEndpoint!,
      url: `http://127.0.0.1:${replica.bot.httpPort}/discord/interactions`,
    };
    const reroll = await bed.fake.clickButton(message, `reroll:${reply.id}`, { user: alice });
    await reroll.waitForResponse(showsImage, 'the rerolled result');
    expect(createTaskCalls(bed.sim).map((call) => call.requestId)).toEqual([reply.id, reroll.id]);
    expect(createTaskCalls(bed.sim)[1]!.body).toMatchObject({
      input: { prompt: 'a kite over two hills', resolution: '2K' },
    });
    // Handled by the replica: the first process never saw the click.
    expect(replica.logs.some((line) => line.requestId === reroll.id)).toBe(true);
    expect(bed.logs.some((line) => line.requestId === reroll.id)).toBe(false);
  });
});
