import { keptSourceOf } from './derived-image.js';
import type { RgbPicture } from './png-decode.js';
import { fetchSource, type SourceFetch } from './source-fetch.js';

const MAX_RECORDED_FETCHES = 10_000;
/** At most 48 KiB each (128 × 128 RGB): about 48 MiB in all. */
const MAX_KEPT_PICTURES = 1_000;

/**
 * What the simulated API does with an image-to-image task's sources: fetches each, records the
 * fetch, and keeps the first (shrunk) to draw the result from. Bounded, so a long-running
 * playground does not grow without end; a forgotten picture gives the framed placeholder.
 */
export class SourceIntake {
  readonly fetches: SourceFetch[] = [];
  private readonly pictures = new Map<string, RgbPicture>();
  private readonly closed = new AbortController();

  /** Fetches every URL at once; resolves with the API's message for the first that failed, if any. */
  async fetchAll(
    taskId: string,
    urls: readonly string[],
    localHosts: readonly string[],
  ): Promise<string | undefined> {
    const results = await Promise.all(
      urls.map(async (url) => {
        const result = await fetchSource(url, { cancel: this.closed.signal, localHosts });
        this.fetches.push({ taskId, ...result.record });
        if (this.fetches.length > MAX_RECORDED_FETCHES) this.fetches.shift();
        return result;
      }),
    );
    const failed = results.findIndex((result) => !result.ok);
    const failure = results[failed];
    if (failure && !failure.ok)
      return `Failed to fetch the source image ${urls[failed]}: ${failure.reason}`;
    const picture = results[0]?.ok ? keptSourceOf(results[0].body) : null;
    if (picture) this.keep(taskId, picture);
    return undefined;
  }

  pictureOf(taskId: string): RgbPicture | null {
    return this.pictures.get(taskId) ?? null;
  }

  /** Stops the fetches still running (the simulator is closing). */
  close(): void {
    this.closed.abort();
  }

  private keep(taskId: string, picture: RgbPicture): void {
    this.pictures.set(taskId, picture);
    for (const oldest of this.pictures.keys()) {
      if (this.pictures.size <= MAX_KEPT_PICTURES) break;
      this.pictures.delete(oldest);
    }
  }
}
