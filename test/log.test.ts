import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageApiClient } from '../src/core/api/client.js';
import { createLogger } from '../src/log.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination: { write: (text: string) => destination.write(text) } };
}

let sim: ImageApiSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('logging', () => {
  const apiKey = 'sk-live-4b1d9f0c2e7a';
  const botToken = 'MTExMTExMTExMTEx.GgGgGg.discord-bot-token-value';

  it('a request log line carries the request and the answer but never the API key', async () => {
    sim = await startImageApiSimulator();
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'trace', secrets: [apiKey], destination });
    const client = new ImageApiClient({ baseUrl: sim.url, apiKey, logger });
    await client.createTask(
      { prompt: 'a fox', options: { resolution: '1K' } },
      { requestId: 'req-log-1' },
    );
    await client.close();
    const requestLine = lines.find((line) => line.includes('createTask answered 200'));
    expect(requestLine).toBeDefined();
    expect(JSON.parse(requestLine!)).toMatchObject({
      endpoint: 'createTask',
      status: 200,
      requestId: 'req-log-1',
    });
    expect(lines.join('\n')).not.toContain(apiKey);
  });

  it('redacts credentials wherever they appear: headers, config, error messages and stacks', () => {
    const { lines, destination } = capture();
    const logger = createLogger({
      level: 'info',
      secrets: [apiKey, botToken, undefined],
      destination,
    });
    logger.info({ headers: { authorization: `Bearer ${apiKey}` } }, 'outgoing');
    logger.info({ request: { headers: { authorization: 'Bearer unknown-other-key' } } }, 'nested');
    logger.info({ config: { DISCORD_TOKEN: botToken, LOG_LEVEL: 'info' } }, 'config');
    logger.error({ err: new Error(`login failed for token ${botToken}`) }, `while using ${apiKey}`);
    const output = lines.join('\n');
    expect(output).not.toContain(apiKey);
    expect(output).not.toContain(botToken);
    expect(output).not.toContain('unknown-other-key');
    expect(output).toContain('[REDACTED]');
    expect((JSON.parse(lines[2]!) as { config: { LOG_LEVEL: string } }).config.LOG_LEVEL).toBe(
      'info',
    );
  });
});
