import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaygroundApiClient } from './browser/playground-api-client.js';
import type { JobCard } from '../src/platforms/playground/room.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;
let folder: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/** tsx compiles the whole bot at start: on a busy machine that alone takes many seconds. */
const STARTS_WITHIN_MS = 120_000;

/** `npm start`'s entry point as a real process, in a folder of its own (no .env, its own SQLite). */
function startMain(env: Record<string, string>): { output: () => string } {
  folder = mkdtempSync(join(tmpdir(), 'playground-start-'));
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main.ts')], {
    cwd: folder,
    // Only a free port instead of 3000, which another process may hold.
    env: { PATH: process.env.PATH, HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { output: () => output };
}

/** The printed `Playground: URL` line (and the one after it). */
function printedUrl(output: () => string, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL printed:\n${output()}`)),
      STARTS_WITHIN_MS,
    );
    child!.stdout!.on('data', () => {
      const match = pattern.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output()}`)));
  });
}

describe('npm start on a fresh clone, with no configuration at all', { timeout: 180_000 }, () => {
  it('serves the playground on the simulated API and prints its URL and how to connect a platform', async () => {
    const { output } = startMain({});
    const url = await printedUrl(
      output,
      /Playground: (http:\/\/localhost:\d+\/playground\/).*\n.*\n/,
    );
    expect(output()).toContain('(simulated image API; set AIGPTIMAGE_API_KEY for real images)');
    expect(output()).toContain(
      'To connect Discord or Slack, set DISCORD_TOKEN or SLACK_BOT_TOKEN in .env and start again',
    );

    expect(await (await fetch(url)).text()).toContain('Simulated image API');
    const page = await PlaygroundApiClient.open(url, 'ada');
    try {
      await page.command('/imagine a red fox --ar 16:9');
      const done = await page.until(
        () => page.jobs().find((message) => (message.body as JobCard).state === 'done'),
        'the simulated image',
        15_000,
      );
      const image = await fetch(new URL((done.body as JobCard).image!.url, url));
      expect(image.headers.get('content-type')).toBe('image/png');
    } finally {
      await page.close();
    }
  });
});

describe(
  'npm start with the playground listening beyond this machine',
  { timeout: 180_000 },
  () => {
    it('without PLAYGROUND_TOKEN refuses to start, in one line saying what to set', async () => {
      const { output } = startMain({ HTTP_HOST: '0.0.0.0' });
      const code = await new Promise((resolve) => child!.once('exit', resolve));
      expect(code).not.toBe(0);
      const lines = output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        'PLAYGROUND_TOKEN is required: the playground listens beyond this machine (HTTP_HOST=0.0.0.0)',
      );
      expect(lines[0]).toContain('set PLAYGROUND_TOKEN to a long random secret');
    });

    it('with PLAYGROUND_TOKEN prints the address with the token, once; without it the page is refused', async () => {
      const token = 'start-test-token-8d41b2';
      const { output } = startMain({ HTTP_HOST: '0.0.0.0', PLAYGROUND_TOKEN: token });
      const url = await printedUrl(
        output,
        /Playground: (http:\/\/localhost:\d+\/playground\/\?token=\S+)/,
      );
      expect(url).toMatch(new RegExp(`\\?token=${token}$`));
      expect(output().split(token)).toHaveLength(2);
      expect((await fetch(url.replace(/\?.*$/, ''))).status).toBe(401);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict$/);
    });
  },
);
