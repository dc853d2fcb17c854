import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalLocale } from '../src/cli/language.js';
import { runGenerateCommand } from './helpers/generate-command.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';

let sim: ImageApiSimulator;
let outDir: string;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 300 });
  outDir = mkdtempSync(join(tmpdir(), 'gib-cli-i18n-'));
});
afterEach(async () => {
  await sim.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** The command as an operator in a Chinese terminal runs it. */
function generateInChinese(args: string[], env: Record<string, string> = {}) {
  return runGenerateCommand(args, {
    AIGPTIMAGE_API_KEY: 'sk-cli-i18n-test',
    AIGPTIMAGE_BASE_URL: sim.url,
    LANG: 'zh_CN.UTF-8',
    ...env,
  });
}

describe('the terminal command’s language', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG, as POSIX programs do', () => {
    expect(terminalLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(terminalLocale({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(terminalLocale({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('zh-CN');
    // An empty LC_ALL is not set; "C" names no language: DEFAULT_LOCALE, else English.
    expect(terminalLocale({ LC_ALL: '', LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(terminalLocale({ LANG: 'C' })).toBe('en');
    expect(terminalLocale({ LANG: 'C.UTF-8', DEFAULT_LOCALE: 'zh-CN' })).toBe('zh-CN');
    expect(terminalLocale({})).toBe('en');
  });
});

describe('npm run generate with LANG=zh_CN.UTF-8', { timeout: 120_000 }, () => {
  it('prints its help in Chinese, options and exit codes as typed', async () => {
    const result = await generateInChinese(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^用法：npm run generate -- /);
    expect(result.stdout).toContain('[--res 1K|2K|4K]');
    expect(result.stdout).toContain('退出码：0 已保存；');
    expect(result.stdout).not.toContain('Usage:');
  });

  it('explains a bad option in Chinese before calling the API', async () => {
    const result = await generateInChinese(['a fox', '--size', 'big']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('没有 --size 这个选项');
    expect(result.stderr).toContain('用法：');
    expect(sim.requests).toHaveLength(0);
  });

  it('shows progress in Chinese and the API’s failMsg as the API gave it', async () => {
    const result = await generateInChinese(['a [fail] fox', '--out', outDir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/(排队中|正在生成)…（\d+ 秒）/);
    expect(result.stderr).toContain(
      "图像 API 拒绝了该提示词：Sorry, but the image we created may violate OpenAI's content policies.",
    );
    expect(result.stderr).toContain('请修改提示词后重试。');
  });

  it('tells the operator in Chinese that the key was rejected, without echoing it', async () => {
    const result = await generateInChinese(['a fox', '--out', outDir], {
      AIGPTIMAGE_API_KEY: 'sk-invalid',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('图像 API 拒绝了密钥（401）');
    expect(result.stderr).not.toContain('sk-invalid');
  });

  it('LC_ALL=C keeps it in English', async () => {
    const result = await generateInChinese(['--help'], { LC_ALL: 'C' });
    expect(result.stdout).toMatch(/^Usage: npm run generate -- /);
  });
});
