import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  FAKE_APP_TOKEN,
  FAKE_BOT_TOKEN,
  startFakeSlack,
  type FakeSlack,
} from './fakes/slack/index.js';
import { silentLogger } from '../src/log.js';
import { boltLogger } from '../src/platforms/slack/bolt-logger.js';

/** The fake is only useful if it answers the way Slack does; these pin the behaviours tests rely on. */
let fake: FakeSlack;
let web: webApi.WebClient;
const quietLogger = boltLogger(silentLogger);

beforeEach(async () => {
  fake = await startFakeSlack();
  fake.workspace.addUser({ id: 'U1', name: 'one' });
  fake.workspace.addChannel({ id: 'C1', name: 'with-bot', members: ['U1'] });
  fake.workspace.addChannel({ id: 'C2', name: 'without-bot', members: ['U1'], botIsMember: false });
  web = new webApi.WebClient(FAKE_BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    // The errors these tests provoke are expected: the client's own error lines stay out of the output.
    logger: quietLogger,
  });
});

afterEach(async () => {
  await fake.close();
});

const slackError = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return error as { data?: { error?: string }; code?: string; retryAfter?: number };
  }
  throw new Error('expected a Slack error');
};

describe('the fake Slack Web API', () => {
  it("answers with Slack's errors: not_in_channel, message_not_found, invalid_blocks, invalid_auth", async () => {
    expect(
      (await slackError(web.chat.postMessage({ channel: 'C2', text: 'hi' }))).data?.error,
    ).toBe('not_in_channel');
    expect(
      (await slackError(web.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).data?.error,
    ).toBe('message_not_found');
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3_001) } }];
    expect(
      (await slackError(web.chat.postMessage({ channel: 'C1', text: 'x', blocks: tooLong }))).data
        ?.error,
    ).toBe('invalid_blocks');
    const unshared = [{ type: 'image', alt_text: 'x', slack_file: { id: 'F404' } }];
    expect(
      (await slackError(web.chat.postMessage({ channel: 'C1', text: 'x', blocks: unshared }))).data
        ?.error,
    ).toBe('invalid_blocks');
    const stranger = new webApi.WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    expect((await slackError(stranger.auth.test())).data?.error).toBe('invalid_auth');
  });

  it('rate limits with HTTP 429 and Retry-After', async () => {
    fake.failNext('chat.postMessage', 'ratelimited', { retryAfterSeconds: 12 });
    const error = await slackError(web.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(error.code).toBe(webApi.ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(12);
  });

  it('runs the files v2 flow: the bytes uploaded are the bytes stored, shared by one message', async () => {
    const bytes = Buffer.from('not really a png, but bytes all the same');
    await web.files.uploadV2({ channel_id: 'C1', file: bytes, filename: 'a.png', title: 'A' });
    const [message] = fake.messagesIn('C1');
    expect(message?.files).toHaveLength(1);
    expect(fake.fileBytes(message!.files[0]!)?.equals(bytes)).toBe(true);
  });

  it('allows a response_url 5 uses within 30 minutes', async () => {
    const url = fake.issueResponseUrl('U1', 'C1');
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hi' }),
      });
    for (let use = 0; use < 5; use++) expect((await post()).status).toBe(200);
    const sixth = await post();
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe('used_url');
    const fresh = fake.issueResponseUrl('U1', 'C1');
    fake.responseUrlClockOffsetMs = 31 * 60_000;
    expect(await (await fetch(fresh, { method: 'POST', body: '{"text":"late"}' })).text()).toBe(
      'expired_url',
    );
  });
});

describe('the fake Socket Mode', () => {
  it('says hello, and records an envelope nobody acknowledged within 3 s', async () => {
    const appClient = new webApi.WebClient(FAKE_APP_TOKEN, { slackApiUrl: fake.apiUrl });
    const { url } = await appClient.apps.connections.open({});
    const socket = new WebSocket(url!);
    const hello = await new Promise<{ type: string }>((resolve) =>
      socket.once('message', (data: Buffer) =>
        resolve(JSON.parse(data.toString('utf8')) as { type: string }),
      ),
    );
    expect(hello.type).toBe('hello');
    await expect(
      fake.slashCommand({ text: 'ignored', userId: 'U1', channelId: 'C1' }),
    ).rejects.toThrow(/not acknowledged within 3000 ms/);
    expect(fake.socket.unacked.map((entry) => entry.reason)).toEqual(['timeout']);
    socket.close();
  });
});
