import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import { bareEnvironment, ProcessUnderTest } from './helpers/bot-process.js';

let fake: DiscordFake;
let folder: string;

beforeAll(async () => {
  fake = await startDiscordFake();
  folder = mkdtempSync(join(tmpdir(), 'deploy-commands-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(folder, { recursive: true, force: true });
});

/** `npm run deploy-commands` from a folder whose .env holds exactly these lines. */
async function deploy(dotEnv: string) {
  writeFileSync(join(folder, '.env'), dotEnv);
  const run = ProcessUnderTest.tsx('commands/deploy-discord.ts', [], {
    cwd: folder,
    env: bareEnvironment(),
  });
  return { code: await run.exited, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run deploy-commands needs only what it uses', { timeout: 120_000 }, () => {
  it('names DISCORD_TOKEN when it is missing, and does not ask for the image API key', async () => {
    const result = await deploy('DISCORD_TOKEN=\nAIGPTIMAGE_API_KEY=\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DISCORD_TOKEN is required');
    expect(result.stderr).not.toContain('AIGPTIMAGE_API_KEY');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('registers the commands with DISCORD_TOKEN alone (no AIGPTIMAGE_API_KEY)', async () => {
    const result = await deploy(`DISCORD_TOKEN=${fake.token}\nDISCORD_API_URL=${fake.apiUrl}\n`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Registered \/imagine.* globally; /);
  });

  it('a rejected token is one line naming the fix', async () => {
    const result = await deploy(`DISCORD_TOKEN=not-the-token\nDISCORD_API_URL=${fake.apiUrl}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Could not register the commands: Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the token again from the Bot page of your application in the Discord Developer Portal (Reset Token), see docs/discord.md.',
    );
  });
});
