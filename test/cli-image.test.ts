import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/cli/operator-messages.js';
import { runGenerateCommand } from './helpers/generate-command.js';
import {
  encodePng,
  IMAGE_TO_IMAGE_MODEL_ID,
  readPngSize,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';

let sim: ImageApiSimulator;
let dir: string;
let cat: string;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 300 });
  dir = mkdtempSync(join(tmpdir(), 'gib-cli-image-'));
  cat = join(dir, 'cat.png');
  writeFileSync(
    cat,
    encodePng(40, 30, (x, y) => [x * 6, y * 8, 90]),
  );
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function generate(args: string[], env: Record<string, string> = {}) {
  return runGenerateCommand([...args, '--out', join(dir, 'out')], {
    AIGPTIMAGE_API_KEY: 'sk-cli-image-test',
    AIGPTIMAGE_BASE_URL: sim.url,
    ...env,
  });
}

const createTasks = () => sim.requests.filter((request) => request.endpoint === 'createTask');

/** A host on this machine serving one PNG, trusted through FETCH_ALLOW_HOSTS as an operator would. */
/** `answers`: how many fetches get the image before it is gone (404). */
async function servePng(
  png: Buffer,
  answers = Infinity,
): Promise<{ url: string; allow: string; server: Server }> {
  let served = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/dog.png' || served++ >= answers)
      return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    response.end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://localhost:${port}/dog.png`, allow: `localhost:${port}`, server };
}

describe('npm run generate --image', { timeout: 120_000 }, () => {
  it('a local file: one image-to-image task whose source the API fetched from this command, the result saved', async () => {
    const result = await generate(['make it night', '--image', cat]);
    expect(result.code, result.stderr).toBe(0);
    const [create] = createTasks();
    const body = create!.body as { model: string; input: Record<string, unknown> };
    expect(body.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
    expect(body.input.prompt).toBe('make it night');
    const urls = body.input.image_urls as string[];
    expect(urls).toHaveLength(1);
    expect(body.input.input_urls).toEqual(urls);
    // Served by the command itself at a signed path, never the file's own path.
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sources\//);
    expect(urls[0]).not.toContain(dir);
    expect(create!.requestId).toMatch(/^cli-/);
    expect(sim.sourceFetches).toEqual([
      expect.objectContaining({ url: urls[0], status: 200, contentType: 'image/png' }),
    ]);
    expect(sim.sourceFetches[0]!.bytes).toBe(readFileSync(cat).length);
    const saved = result.stdout.trim();
    expect(readPngSize(readFileSync(saved))).not.toBeNull();
  });

  it('a link: sent as it is, after checking it answers with an image', async () => {
    const host = await servePng(readFileSync(cat));
    try {
      const result = await generate(['make it night', '--image', host.url, '--res', '2K'], {
        FETCH_ALLOW_HOSTS: host.allow,
      });
      expect(result.code, result.stderr).toBe(0);
      const body = createTasks()[0]!.body as { model: string; input: Record<string, unknown> };
      expect(body.model).toBe(IMAGE_TO_IMAGE_MODEL_ID);
      expect(body.input.image_urls).toEqual([host.url]);
      expect(body.input.resolution).toBe('2K');
      expect(sim.sourceFetches.map((fetch) => fetch.url)).toEqual([host.url]);
    } finally {
      host.server.close();
    }
  });

  it('a link gone by the time the API fetches it: one line naming the source as the cause', async () => {
    // The command's own check sees the image; the API, fetching next, finds it gone.
    const host = await servePng(readFileSync(cat), 1);
    try {
      const result = await generate(['make it night', '--image', host.url], {
        FETCH_ALLOW_HOSTS: host.allow,
      });
      expect(result.code, result.stderr).toBe(EXIT_CODES.refused);
      const lines = result.stderr.trim().split('\n');
      expect(lines.at(-1)).toContain(
        `The image API could not make the image from its source: Failed to fetch the source image ${host.url}: HTTP 404`,
      );
      expect(lines.at(-1)).toContain('Check that every --image is reachable by the API');
      expect(createTasks()).toHaveLength(1);
    } finally {
      host.server.close();
    }
  });

  it('refuses before any task: a missing file, a file that is not an image, four images', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not a picture');

    const missing = await generate(['a fox', '--image', join(dir, 'nowhere.png')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('I could not fetch the image "nowhere.png"');
    expect(missing.stderr).toContain('ENOENT');

    const text = await generate(['a fox', '--image', notes]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('"notes.txt" is not an image. Use a PNG, JPEG or WEBP image');

    const four = await generate(['a fox', ...[1, 2, 3, 4].flatMap(() => ['--image', cat])]);
    expect(four.code).toBe(2);
    expect(four.stderr).toContain('You gave 4 images, but an edit can start from at most 3');

    for (const result of [missing, text, four])
      expect(result.stderr).toContain('nothing was sent to the image API');
    expect(createTasks()).toHaveLength(0);
  });

  it('a local file with a remote API and no PUBLIC_URL: says what to set, sends nothing', async () => {
    const result = await generate(['a fox', '--image', cat], {
      AIGPTIMAGE_BASE_URL: 'https://images.example.com',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('set PUBLIC_URL to the https address that reaches port');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help explains --image', async () => {
    const result = await generate(['--help']);
    expect(result.stdout).toContain('[--image PATH_OR_URL]');
    expect(result.stdout).toContain('needs PUBLIC_URL');
  });
});
