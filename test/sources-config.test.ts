import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, httpListenHost, loadConfig } from '../src/config.js';
import { sourceBaseUrl } from '../src/sources/index.js';

const base = { AIGPTIMAGE_API_KEY: 'sk-abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env }, { requirePlatform: true });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('PUBLIC_URL', () => {
  it('takes an https address, with a path prefix, without its trailing slash', () => {
    const config = loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com/imagebot/' });
    expect(config.PUBLIC_URL).toBe('https://bot.example.com/imagebot');
    expect(loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com' }).PUBLIC_URL).toBe(
      'https://bot.example.com',
    );
  });

  it('refuses plain http (except on this machine), other schemes, queries and non-URLs in one line', () => {
    for (const value of [
      'http://bot.example.com',
      'ftp://bot.example.com',
      'https://bot.example.com/?a=1',
      'bot.example.com',
    ]) {
      const message = problemOf({ PUBLIC_URL: value });
      expect(message, value).toBe(
        `Configuration is not valid (see .env.example for every variable): PUBLIC_URL must be the https address where this bot is reachable (e.g. https://bot.example.com), without ? or # (got "${value}")`,
      );
    }
    expect(problemOf({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toBe('');
  });

  it('makes the HTTP server listen on every interface, so the image API can reach it', () => {
    expect(httpListenHost(loadConfig(base))).toBe('127.0.0.1');
    expect(httpListenHost(loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com' }))).toBe(
      '0.0.0.0',
    );
    expect(httpListenHost(loadConfig({ ...base, PUBLIC_URL: 'http://localhost:3000' }))).toBe(
      '127.0.0.1',
    );
    expect(
      httpListenHost(
        loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com', HTTP_HOST: '10.0.0.5' }),
      ),
    ).toBe('10.0.0.5');
  });

  it('is where kept sources are served; without it, only an image API on this machine can fetch them', () => {
    expect(
      sourceBaseUrl(
        { publicUrl: 'https://bot.example.com/x', apiBaseUrl: 'https://aigptimage.com' },
        3000,
      ),
    ).toBe('https://bot.example.com/x');
    expect(sourceBaseUrl({ apiBaseUrl: 'https://aigptimage.com' }, 3000)).toBeUndefined();
    expect(sourceBaseUrl({ apiBaseUrl: 'http://127.0.0.1:4010' }, 3000)).toBe(
      'http://127.0.0.1:3000',
    );
    expect(sourceBaseUrl({ apiBaseUrl: 'http://localhost:4010/api' }, 0)).toBe(
      'http://127.0.0.1:0',
    );
  });

  it('on this machine, links use the address the server is bound to when it is one address', () => {
    const local = { apiBaseUrl: 'http://127.0.0.1:4010' };
    expect(sourceBaseUrl(local, 3000, '0.0.0.0')).toBe('http://127.0.0.1:3000');
    expect(sourceBaseUrl(local, 3000, '192.168.1.5')).toBe('http://192.168.1.5:3000');
    expect(sourceBaseUrl(local, 3000, '::1')).toBe('http://[::1]:3000');
  });

  it('is documented in .env.example and the README configuration table', () => {
    expect(readFileSync('.env.example', 'utf8')).toMatch(/^PUBLIC_URL=$/m);
    expect(readFileSync('README.md', 'utf8')).toMatch(/^\| `PUBLIC_URL` \|/m);
  });
});
