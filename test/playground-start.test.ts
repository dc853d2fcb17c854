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

describe('npm start on a fresh clone, with no configuration at all', () => {
  it('serves the playground on the simulated API and prints its URL and how to connect a platform', async () => {
    // A folder of its own: no .env to read, and the default SQLite store is written there.
    folder = mkdtempSync(join(tmpdir(), 'playground-start-'));
    child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main.ts')], {
      cwd: folder,
      // Only a free port instead of 3000, which another process may hold.
      env: { PATH: process.env.PATH, HTTP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
      child!.stdout!.on('data', () => {
        const match = /Playground: (http:\/\/localhost:\d+\/playground\/).*\n.*\n/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).toContain('(simulated image API; set AIGPTIMAGE_API_KEY for real images)');
    expect(output).toContain(
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
