// Runtime smoke test: what the project needs from the Node it runs on. CI runs the suite on the
// development Node and again on the Node of the Docker image, so this catches a runtime that lacks
// an API or a native module (sqlite3) that was not built for it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('meets the engines range of package.json (>= 20.19)', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
  });

  it('has zlib.crc32, which PNG chunk checksums rely on', () => {
    expect(typeof crc32).toBe('function');
    // Check values of the standard CRC-32 (IEEE 802.3).
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
  });

  it('has a global fetch, which the Docker health check uses', () => {
    expect(typeof fetch).toBe('function');
  });

  it('loads the sqlite3 native addon through @keyv/sqlite and round-trips a value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpt-image-bot-smoke-'));
    const store = new KeyvSqlite({ uri: `sqlite://${join(dir, 'smoke.sqlite')}` });
    const keyv = new Keyv<{ n: number }>({ store, namespace: 'smoke' });
    try {
      await keyv.set('k', { n: 42 });
      expect(await keyv.get('k')).toEqual({ n: 42 });
      expect(await keyv.delete('k')).toBe(true);
      expect(await keyv.get('k')).toBeUndefined();
    } finally {
      await keyv.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
