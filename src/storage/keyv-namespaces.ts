import type { Keyv } from 'keyv';
import type { Namespace } from '../core/store.js';

/**
 * The store's record families as keyv instances, opened on first use. Each namespace gets its own
 * adapter because keyv adapters carry a single current namespace, and sharing one would make
 * scans of one family read another.
 */
export class KeyvNamespaces {
  private readonly opened = new Map<Namespace, Keyv>();

  constructor(
    private readonly prefix: string,
    /** Makes the keyv for one namespace (its full name, prefix included). */
    private readonly create: (namespace: string) => Keyv,
  ) {}

  get<T>(name: Namespace): Keyv<T> {
    let keyv = this.opened.get(name);
    if (!keyv) {
      keyv = this.create(`${this.prefix}${name}`);
      // Failures reach callers as exceptions (throwOnErrors): a read that fails must never look like "no record".
      keyv.on('error', () => undefined);
      this.opened.set(name, keyv);
    }
    return keyv as Keyv<T>;
  }

  async *keys(name: Namespace): AsyncGenerator<string> {
    const keyv = this.get(name);
    if (!keyv.iterator) return;
    for await (const [key] of keyv.iterator(undefined)) yield String(key);
  }

  /** keyv drops expired entries as it iterates, so one walk deletes them (SQLite and memory only notice on read). */
  async sweep(name: Namespace): Promise<void> {
    for await (const key of this.keys(name)) void key;
  }

  /** `drop`: the store is unreachable, so waiting for queued commands to be answered would wait for the outage. */
  async close(drop: boolean): Promise<void> {
    await Promise.all([...this.opened.values()].map((keyv) => disconnect(keyv, drop)));
    this.opened.clear();
  }
}

async function disconnect(keyv: Keyv, drop: boolean): Promise<void> {
  const adapter = keyv.store as { disconnect?: (force?: boolean) => Promise<void> };
  if (drop && typeof adapter.disconnect === 'function') await adapter.disconnect(true);
  else await keyv.disconnect();
}
