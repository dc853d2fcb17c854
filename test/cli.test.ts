import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readPngSize,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';

const run = promisify(execFile);
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

async function generate(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/generate.ts', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          AIGPTIMAGE_API_KEY: 'sk-cli-test',
          AIGPTIMAGE_BASE_URL: sim.url,
          ...env,
        },
        timeout: 30_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run generate', () => {
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
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("may violate OpenAI's content policies");
  });

  it('tells the operator their key was rejected', async () => {
    const result = await generate(['a fox', '--out', outDir], { AIGPTIMAGE_API_KEY: 'sk-invalid' });
    expect(result.code).toBe(1);
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
});
