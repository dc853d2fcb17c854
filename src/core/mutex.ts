/** Runs work for one key at a time; in one process, or across replicas when the store is shared. */
export interface LockProvider {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Serialises async work per key inside one process, e.g. all quota changes of one user, so that
 * read-modify-write sequences on the key-value store cannot interleave.
 */
export class KeyedMutex implements LockProvider {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
