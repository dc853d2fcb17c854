import type { TimedEntry, TimeLog } from '../core/store.js';

interface Kept<T> {
  at: number;
  value: T;
  expiresAt: number;
}

/** A time log in this process's memory (tests, `memory://`); expiry is read against the wall clock, like keyv's. */
export class MemoryTimeLog<T> implements TimeLog<T> {
  private readonly streams = new Map<string, Map<string, Kept<T>>>();

  append(stream: string, entry: TimedEntry<T>, ttlMs: number): Promise<boolean> {
    let kept = this.streams.get(stream);
    if (!kept) this.streams.set(stream, (kept = new Map<string, Kept<T>>()));
    const now = Date.now();
    for (const [id, record] of kept) if (record.expiresAt <= now) kept.delete(id);
    const added = !kept.has(entry.id);
    // A copy, so a caller changing its object afterwards does not change the log.
    kept.set(entry.id, {
      at: entry.at,
      value: structuredClone(entry.value),
      expiresAt: now + ttlMs,
    });
    return Promise.resolve(added);
  }

  range(stream: string, from: number, to: number): Promise<T[]> {
    const now = Date.now();
    const found = [...(this.streams.get(stream)?.entries() ?? [])]
      .filter(([, record]) => record.at >= from && record.at < to && record.expiresAt > now)
      .sort(([idA, a], [idB, b]) => a.at - b.at || (idA < idB ? -1 : idA > idB ? 1 : 0));
    return Promise.resolve(found.map(([, record]) => structuredClone(record.value)));
  }
}
