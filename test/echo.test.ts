import { afterEach, describe, expect, it } from 'vitest';
import { cleanEcho, rememberSecrets, removeInvisible, secretScrubber } from '../src/core/echo.js';
import { renderMessage } from '../src/core/messages.js';
import { escapeEcho, fitEcho } from '../src/platforms/discord/text.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startBot, type RunningBot } from '../src/main.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { liveDiscordMarkdown } from './helpers/discord-markdown.js';

/** Every character the issue names: bidi controls, marks and isolates, and the zero-width ones. */
const INVISIBLE = [
  ...'\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C',
  ...'\u200B\u200C\u200D\u2060\uFEFF',
];

describe('cleaning echoed text (every platform)', () => {
  it('removes bidi controls and zero-width characters and keeps everything else', () => {
    const hidden = `a${INVISIBLE.join('b')}c`;
    expect(removeInvisible(hidden)).toBe(`a${'b'.repeat(INVISIBLE.length - 1)}c`);
    expect(removeInvisible('gnp.\u202Eexe')).toBe('gnp.exe');
    expect(removeInvisible('café 日本 🦊 naïve')).toBe('café 日本 🦊 naïve');
  });

  it('keeps the joiner inside an emoji sequence, where it draws one picture', () => {
    const astronaut = '👩\u200D🚀';
    const rainbowFlag = '🏳\uFE0F\u200D🌈';
    expect(removeInvisible(`${astronaut} ${rainbowFlag}`)).toBe(`${astronaut} ${rainbowFlag}`);
    expect(removeInvisible('a\u200Db 👩\u200Db a\u200D🚀')).toBe('ab 👩b a🚀');
  });

  it('hides the remembered secrets, even one split by a zero-width space', () => {
    rememberSecrets(['sk-echo-test-key-123', undefined, 'xox']);
    expect(cleanEcho('bad key sk-echo-test-key-123 given')).toBe('bad key [REDACTED] given');
    expect(cleanEcho('sk-echo-\u200Btest-key-123')).toBe('[REDACTED]');
    // Too short to be a secret worth hiding: ordinary words stay.
    expect(cleanEcho('xox')).toBe('xox');
  });

  it('catalogued messages carry no secret and no invisible character, whatever the API said', () => {
    rememberSecrets(['sk-echo-test-key-456']);
    const text = renderMessage('api_invalid_request', {
      apiMessage: 'key sk-echo-test-key-456 is\u202E not allowed',
    });
    expect(text).toBe(
      'The image service rejected this request: key [REDACTED] is not allowed. Change the prompt or options and try again.',
    );
  });

  it('one scrubber serves the logger: longest secret first, so no tail of one is left', () => {
    const scrub = secretScrubber(['abcd', 'abcdefgh']);
    expect(scrub('abcdefgh abcd')).toBe('[REDACTED] [REDACTED]');
  });
});

describe('Discord: echoed text never renders as markdown', () => {
  const hostile = [
    '[safe](https://evil.example/x)',
    '# Heading',
    '## Sub',
    '-# small print',
    '> quoted',
    '>>> all quoted',
    '- item',
    '* item',
    '+ item',
    '12. item',
    '||spoiler||',
    '`code` and ```fence```',
    '**bold** __under__ ~~strike~~ *it* _it_',
    'see https://evil.example',
    'go to <#123456789012345678>',
  ];

  it.each(hostile)('%s is shown as typed, with nothing live', (text) => {
    const escaped = escapeEcho(text);
    expect(liveDiscordMarkdown(escaped)).toEqual([]);
    // Discord drops the backslash before punctuation: what people read is what was typed.
    expect(escaped.replace(/\\([^0-9A-Za-z\s])/g, '$1')).toBe(text);
  });

  it('the checker itself sees each of those live when not escaped', () => {
    for (const text of hostile) expect(liveDiscordMarkdown(text)).not.toEqual([]);
  });

  it('keeps mentions as typed (allowed_mentions keeps them silent) and plain text untouched', () => {
    const prompt = '@everyone @here <@&123456789012345678> <@234567890123456789> a cat';
    expect(escapeEcho(prompt)).toBe(prompt);
    expect(escapeEcho("a red-fox, 16:9, it's 3.5 m tall")).toBe("a red-fox, 16:9, it's 3.5 m tall");
  });

  it('fits the escaped text within a limit without leaving a half escape', () => {
    const text = '*'.repeat(50);
    const fitted = fitEcho(text, 21);
    expect(fitted.length).toBeLessThanOrEqual(21);
    expect(fitted).toBe(`${'\\*'.repeat(10)}…`);
    expect(fitEcho('short', 100)).toBe('short');
  });
});

describe('URL credentials in logs', () => {
  it('a URL with a username and password is logged without them', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(line) },
    });
    logger.info(
      {
        imageApi: 'https://operator:hunter2-pass@api.example/v1',
        store: 'redis://:r3dis-pw@redis:6379',
      },
      'using the image API',
    );
    const output = lines.join('');
    expect(output).not.toContain('hunter2-pass');
    expect(output).not.toContain('operator');
    expect(output).not.toContain('r3dis-pw');
    expect(output).toContain('https://[REDACTED]@api.example/v1');
    expect(output).toContain('redis://[REDACTED]@redis:6379');
  });

  let bot: RunningBot | undefined;
  let sim: ImageApiSimulator | undefined;
  afterEach(async () => {
    await bot?.stop();
    await sim?.close();
    bot = undefined;
    sim = undefined;
  });

  it('the bot names its image API at start-up without the password in AIGPTIMAGE_BASE_URL', async () => {
    sim = await startImageApiSimulator();
    const lines: string[] = [];
    const config = loadConfig(
      {
        AIGPTIMAGE_API_KEY: 'sk-echo-start-key',
        AIGPTIMAGE_BASE_URL: sim.url.replace('http://', 'http://operator:hunter2-pass@'),
        HTTP_PORT: '0',
        STORE_URL: 'memory://',
      },
      { requirePlatform: true, offerPlayground: true },
    );
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(line) },
    });
    bot = await startBot(config, logger);
    const output = lines.join('');
    expect(output).toContain('using the image API');
    expect(output).toContain(`http://[REDACTED]@127.0.0.1:${sim.port}`);
    expect(output).not.toContain('hunter2-pass');
  });
});
