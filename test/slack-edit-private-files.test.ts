import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { slackPrivateFileFetcher } from '../src/platforms/slack/private-files.js';
import { encodePng } from './fakes/image-api/index.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from './fakes/slack/index.js';

/**
 * Reading a Slack file someone offered as a source: the bot token goes to Slack's file host only
 * (here the fake Slack, which SLACK_API_URL names), never to another host or along a redirect to
 * one; the bytes are capped at 30 MB and must really be an image.
 */

interface Elsewhere {
  origin: string;
  /** The headers of every request it received. */
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Another web host on 127.0.0.1 (another port is another host), which answers with an image. */
async function startElsewhere(): Promise<Elsewhere> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { 'content-type': 'image/png' }).end(encodePng(4, 4, () => [1, 2, 3]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let fake: FakeSlack | undefined;
let elsewhere: Elsewhere | undefined;
afterEach(async () => {
  await fake?.close();
  await elsewhere?.close();
  fake = elsewhere = undefined;
});

async function setUp() {
  fake = await startFakeSlack();
  elsewhere = await startElsewhere();
  const read = slackPrivateFileFetcher({ token: FAKE_BOT_TOKEN, apiUrl: fake.apiUrl });
  const file = (name: string, bytes: Buffer, mimetype = 'image/png') => {
    const added = fake!.workspace.addUserFile({ user: 'U0ALICE', name, bytes, mimetype });
    return { url: String(fake!.fileObject(added).url_private), name, private: true };
  };
  return { fake, elsewhere, read, file };
}

async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return { code: (error as UserError).code, message: (error as UserError).message };
}

describe('reading a Slack file offered as a source', () => {
  it("reads it from Slack's file host with the bot token, and knows it by its bytes", async () => {
    const { fake, read, file } = await setUp();
    const png = encodePng(6, 6, () => [200, 10, 10]);
    const image = await read(file('cat.png', png));
    expect(image.bytes.equals(png)).toBe(true);
    expect(image.contentType).toBe('image/png');
    expect(fake.fileDownloads).toEqual([
      { fileId: expect.any(String) as string, authorized: true },
    ]);
  });

  it('never sends the token to another host: not asked directly, not along a redirect', async () => {
    const { elsewhere, read } = await setUp();
    const direct = await refusalOf(read({ url: `${elsewhere.origin}/cat.png`, name: 'cat.png' }));
    expect(direct.code).toBe('source_unreachable');
    expect(elsewhere.seen).toEqual([]);

    // A Slack host that redirects elsewhere: the redirect is not followed with the token.
    const redirecting = createServer((_request, response) => {
      response.writeHead(302, { location: `${elsewhere.origin}/cat.png` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const viaSlack = slackPrivateFileFetcher({ token: FAKE_BOT_TOKEN, apiUrl: `${origin}/api/` });
      const redirected = await refusalOf(
        viaSlack({ url: `${origin}/files/F1/cat.png`, name: 'cat.png' }),
      );
      expect(redirected.code).toBe('source_unreachable');
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('a file that is not an image, or over 30 MB, is refused with a message naming it', async () => {
    const { read, file } = await setUp();
    const renamed = await refusalOf(read(file('notes.png', Buffer.from('not a picture at all'))));
    expect(renamed).toEqual({
      code: 'source_not_image',
      message: '"notes.png" is not an image. Use a PNG, JPEG or WEBP image and try again.',
    });
    const big = Buffer.alloc(30 * 1024 * 1024 + 1);
    encodePng(2, 2, () => [0, 0, 0]).copy(big);
    const tooLarge = await refusalOf(read(file('huge.png', big)));
    expect(tooLarge.code).toBe('source_too_large');
    expect(tooLarge.message).toContain('"huge.png" is larger than 30 MB');
  });

  it('a file Slack no longer has is unreachable, with the reason', async () => {
    const { read, file, fake } = await setUp();
    const gone = file(
      'gone.png',
      encodePng(2, 2, () => [9, 9, 9]),
    );
    for (const stored of fake.workspace.files.values()) stored.deleted = true;
    const refused = await refusalOf(read(gone));
    expect(refused.code).toBe('source_unreachable');
    expect(refused.message).toContain('Slack answered HTTP 404');
  });
});
