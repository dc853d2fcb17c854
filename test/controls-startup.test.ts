import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareEnvironment, ProcessUnderTest } from './helpers/bot-process.js';

/**
 * `npm start` with operator controls configured wrongly: the bot must stop at once with one line
 * on stderr naming the variable, the cause and the fix, exit 1, and show no stack trace or secret.
 */
const API_KEY = 'sk-controls-startup-secret';
const folder = mkdtempSync(join(tmpdir(), 'gib-controls-startup-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function startFails(env: Record<string, string>): Promise<string> {
  const bot = ProcessUnderTest.tsx('src/main.ts', [], {
    cwd: folder,
    env: bareEnvironment({
      AIGPTIMAGE_API_KEY: API_KEY,
      STORE_URL: 'memory://',
      HTTP_PORT: '0',
      ...env,
    }),
  });
  expect(await bot.exited, bot.output).toBe(1);
  expect(bot.stderr.trimEnd().split('\n'), bot.output).toHaveLength(1);
  expect(bot.output).not.toMatch(/^\s+at /m);
  expect(bot.output).not.toContain(API_KEY);
  // Stopped before anything started: no "running" line, no playground address.
  expect(bot.stdout).not.toContain('gpt-image-bot is running');
  return bot.stderr.trim();
}

describe('operator controls misconfigured at start-up', { timeout: 120_000 }, () => {
  it('PROMPT_BLOCKLIST_FILE with a bad line names the file, the line and the fix', async () => {
    const list = join(folder, 'blocked.txt');
    writeFileSync(list, 'gore\n# a comment\nre:(unclosed\n');
    expect(await startFails({ PROMPT_BLOCKLIST_FILE: list })).toMatch(
      new RegExp(
        `^Configuration is not valid .*: PROMPT_BLOCKLIST_FILE ${list} line 3: "re:\\(unclosed" is refused, as .+; fix or remove that line$`,
      ),
    );
  });

  it('PROMPT_BLOCKLIST_FILE that cannot be read says why and what to do', async () => {
    const missing = join(folder, 'missing.txt');
    expect(await startFails({ PROMPT_BLOCKLIST_FILE: missing })).toMatch(
      new RegExp(
        `PROMPT_BLOCKLIST_FILE ${missing} cannot be read \\(ENOENT\\): point it at a readable`,
      ),
    );
    // A folder where the file should be: read as a file, it fails for any user, root included.
    expect(await startFails({ PROMPT_BLOCKLIST_FILE: folder })).toContain('(EISDIR)');
  });

  it('SERVER_DAILY_CREDITS that is not a whole number names the variable and the value', async () => {
    expect(await startFails({ SERVER_DAILY_CREDITS: 'plenty' })).toMatch(
      /^Configuration is not valid .*: SERVER_DAILY_CREDITS .*\(got "plenty"\)$/,
    );
  });
});
