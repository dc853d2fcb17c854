import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGenerateCommand } from './helpers/generate-command.js';
import {
  readPngSize,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';
import { closedPort } from './helpers/bot-process.js';

let sim: ImageApiSimulator;
let outDir: string;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 300 });
  outDir = mkdtempSync(join(tmpdir(), 'gib-cli-'));
});
afterEach(async () => {
  await sim.close();
  rmSync(outDir, { recursive: true, force: true });
});

function generate(args: string[], env: Record<string, string> = {}) {
  return runGenerateCommand(args, {
    AIGPTIMAGE_API_KEY: 'sk-cli-test',
    AIGPTIMAGE_BASE_URL: sim.url,
    ...env,
  });
}

describe('npm run generate', { timeout: 120_000 }, () => {
  it('writes a valid PNG of the requested shape to --out and prints its path', async () => {
    const result = await generate(['a red fox', '--ar', '16:9', '--res', '2K', '--out', outDir]);
    expect(result.code).toBe(0);
    const path = result.stdout.trim();
    expect(path.startsWith(outDir)).toBe(true);
    const size = readPngSize(readFileSync(path));
    expect(size).not.toBeNull();
    expect(size!.width / size!.height).toBeCloseTo(16 / 9, 1);
    // Piped output gets plain progress lines, not spinner escapes.
    expect(result.stderr).toMatch(/generating… \(\d+ s\)/);
    expect(result.stderr).not.toContain('\x1b[');
    expect(sim.requests.find((request) => request.endpoint === 'createTask')?.body).toMatchObject({
      input: { prompt: 'a red fox', aspect_ratio: '16:9', resolution: '2K' },
    });
  });

  it('exits non-zero with the API failMsg when the task fails', async () => {
    const result = await generate(['a [fail] fox', '--out', outDir]);
    // Exit codes per kind of failure (issue 10): a refused prompt is 6, no longer a generic 1.
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("may violate OpenAI's content policies");
  });

  it('tells the operator their key was rejected', async () => {
    const result = await generate(['a fox', '--out', outDir], { AIGPTIMAGE_API_KEY: 'sk-invalid' });
    // A rejected key is exit 3 (issue 10), no longer a generic 1.
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('AIGPTIMAGE_API_KEY was rejected (401)');
    expect(result.stderr).not.toContain('sk-invalid');
  });

  it('explains bad options and missing configuration before calling the API', async () => {
    const badFlag = await generate(['a fox', '--size', 'big']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('Unknown option --size');
    const noKey = await generate(['a fox'], { AIGPTIMAGE_API_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('AIGPTIMAGE_API_KEY is required');
    expect(sim.requests).toHaveLength(0);
  });

  // What the operator reads: the cause and the fix, never the chat user's wording, and an exit
  // code per kind (README's "Check your API key first" and --help list them).
  const chatWording = /bot operator has been told|credits were refunded|ask the bot operator/;

  it('key rejected: exit 3, check AIGPTIMAGE_API_KEY', async () => {
    const result = await generate(['a fox', '--out', outDir], { AIGPTIMAGE_API_KEY: 'sk-invalid' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'The image API rejected the key (401): check AIGPTIMAGE_API_KEY (in .env or the environment) against the API Keys page of aigptimage.com.',
    );
    expect(result.stderr).not.toMatch(chatWording);
  });

  it('no credits on the account: exit 4, top up', async () => {
    const broke = await startImageApiSimulator({ credits: 0 });
    try {
      const result = await generate(['a fox', '--out', outDir], {
        AIGPTIMAGE_BASE_URL: broke.url,
      });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'The image API account has no credits left (402): top up the balance on aigptimage.com, then try again.',
      );
      expect(result.stderr).not.toMatch(chatWording);
    } finally {
      await broke.close();
    }
  });

  it('API unreachable: exit 5, with the URL and the network error', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const refused = await generate(['a fox', '--out', outDir], { AIGPTIMAGE_BASE_URL: url });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`Could not reach the image API at ${url} (ECONNREFUSED)`);
    expect(refused.stderr).toContain('AIGPTIMAGE_BASE_URL');
    expect(refused.stderr).not.toMatch(chatWording);

    const unknownHost = await generate(['a fox', '--out', outDir], {
      AIGPTIMAGE_BASE_URL: 'http://no-such-host.invalid',
    });
    expect(unknownHost.code).toBe(5);
    expect(unknownHost.stderr).toContain(
      'Could not reach the image API at http://no-such-host.invalid (ENOTFOUND)',
    );
  });

  it("prompt refused: exit 6, with the API's failMsg", async () => {
    const result = await generate(['a [fail] fox', '--out', outDir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /The image API refused the prompt: .*may violate OpenAI's content policies.*\. Reword the prompt and try again\./,
    );
    expect(result.stderr).not.toMatch(chatWording);
  });

  it('lists the exit codes in --help', async () => {
    const result = await generate(['--help']);
    expect(result.code).toBe(0);
    for (const line of [
      '3 AIGPTIMAGE_API_KEY rejected',
      '4 no credits',
      '5 API unreachable',
      '6 prompt',
    ])
      expect(result.stdout).toContain(line);
  });
});
