import { Semaphore } from '../semaphore.js';

/**
 * At most `limit` pieces of work per host at once, so one slow or hostile host cannot take every
 * delivery slot. Hosts are compared by name, whatever the port; a host with nothing running is
 * forgotten.
 */
export class PerHostLimit {
  private readonly hosts = new Map<string, { semaphore: Semaphore; users: number }>();

  constructor(private readonly limit: number) {}

  async run<T>(url: string, work: () => Promise<T>): Promise<T> {
    const host = hostOf(url);
    let entry = this.hosts.get(host);
    if (!entry) {
      entry = { semaphore: new Semaphore(this.limit), users: 0 };
      this.hosts.set(host, entry);
    }
    entry.users++;
    try {
      return await entry.semaphore.run(work);
    } finally {
      if (--entry.users === 0) this.hosts.delete(host);
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
