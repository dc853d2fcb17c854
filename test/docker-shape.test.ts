import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import { showsImage } from './fakes/discord/harness.js';
import { current, startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import {
  readPngSize,
  startImageApiSimulator,
  type ImageApiSimulator,
} from './fakes/image-api/index.js';
import { ProcessUnderTest, ROOT } from './helpers/bot-process.js';

/**
 * The Docker image without a Docker daemon: what the Dockerfile builds (dist/ from
 * tsconfig.build.json, the playground's static files, package.json, node_modules), run the way the
 * image runs it, as an unprivileged user from a folder that user cannot write, with the image's
 * environment and `docker run --env-file .env`, where .env is .env.example with the minimum filled.
 */
const NOBODY = 65_534;
const isRoot = process.getuid?.() === 0;
const workspaces: string[] = [];
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  for (const folder of workspaces) rmSync(folder, { recursive: true, force: true });
});

/** A folder anyone may read but only root may write, like the image's / and /app. */
function rootOwnedFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o755);
  workspaces.push(folder);
  return folder;
}

/** The image's /app: `npm run build`'s output (to a folder of its own), package.json, node_modules. */
async function buildApp(): Promise<string> {
  const app = rootOwnedFolder('image-app-');
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(app, 'dist'),
    ],
    { cwd: ROOT },
  );
  // What scripts/copy-assets.mjs adds to dist/ after tsc.
  cpSync(
    join(ROOT, 'src/platforms/playground/public'),
    join(app, 'dist/src/platforms/playground/public'),
    {
      recursive: true,
    },
  );
  copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
  return app;
}

/** The runtime stage of the Dockerfile: its ENV lines, its last WORKDIR and its CMD. */
function runtimeImage(): { env: Record<string, string>; workdir: string; command: string[] } {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, name, value] of runtime.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm))
    env[name!] = value!;
  const workdir = [...runtime.matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)![1]!;
  const command = JSON.parse(/^CMD\s+(\[.*\])\s*$/m.exec(runtime)![1]!) as string[];
  return { env, workdir, command };
}

/** `docker run --env-file`: every NAME=value line of the file, empty values included. */
function envFile(values: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, value] of readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(
    /^([A-Z][A-Z0-9_]*)=(.*)$/gm,
  ))
    env[name!] = values[name!] ?? value!;
  return env;
}

describe('the Docker image, run as it runs', () => {
  it.skipIf(!isRoot)(
    'as a non-root user from an unwritable folder, with .env.example as --env-file: a generation is delivered and the store lands on the data volume (skipped unless the tests run as root, which switching users needs)',
    { timeout: 240_000 },
    async () => {
      const app = await buildApp();
      // The container's /: not writable by the bot, with the volume at ./data, owned by it.
      const container = rootOwnedFolder('image-root-');
      const volume = join(container, 'data');
      mkdirSync(volume);
      chownSync(volume, NOBODY, NOBODY);

      const sim: ImageApiSimulator = await startImageApiSimulator({ taskDurationMs: 200 });
      closers.push(() => sim.close());
      const fake: DiscordFake = await startDiscordFake();
      closers.push(() => fake.close());
      await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });

      const image = runtimeImage();
      // The image's paths, here: / is the container folder, /app the build, /data the volume.
      const here = (path: string) =>
        path.startsWith('/app') ? join(app, path.slice(4)) : join(container, path);
      const [node, ...args] = image.command;
      expect(node).toBe('node');
      const bot = new ProcessUnderTest(process.execPath, args.map(here), {
        cwd: here(image.workdir),
        uid: NOBODY,
        gid: NOBODY,
        env: {
          PATH: process.env.PATH ?? '',
          ...image.env,
          ...envFile({
            AIGPTIMAGE_API_KEY: 'sk-docker-shape',
            AIGPTIMAGE_BASE_URL: sim.url,
            DISCORD_TOKEN: fake.token,
            DISCORD_API_URL: fake.apiUrl,
            HTTP_PORT: '0',
          }),
        },
      });
      closers.push(() => bot.stop());
      const running = await bot.waitForLog('gpt-image-bot is running', 60_000);
      // The image's own settings survive the env file: it listens where the image says.
      expect(running.httpHost).toBe(image.env.HTTP_HOST);

      const reply = await fake.runCommand({
        name: 'imagine',
        user: fake.user('operator'),
        options: { prompt: 'a red fox in the snow' },
      });
      const message = await reply.waitForResponse(showsImage, 'the image', 60_000);
      expect(readPngSize(current(message).attachments[0]!.bytes)).not.toBeNull();

      // .env.example's STORE_URL=sqlite://data/bot.sqlite, relative to the working directory.
      const store = join(volume, 'bot.sqlite');
      expect(existsSync(store)).toBe(true);
      expect(statSync(store).uid).toBe(NOBODY);
      expect(readdirSync(container)).toEqual(['data']);
    },
  );
});
