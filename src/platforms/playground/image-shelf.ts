import type { ImageFetcher } from '../../core/images.js';

/** One finished image, downloaded from the API's URL and served from the playground's own route. */
export interface ShelvedImage {
  bytes: Buffer;
  contentType: string;
  /** The file's name, for a file saved rather than shown (the audit export). */
  name?: string;
}

const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/**
 * The playground "hosts the upload" as Discord and Slack do, so the browser never talks to the
 * image API (or the simulator's port). Bounded: the oldest images go first; their cards then
 * show the alt text.
 */
export class ImageShelf {
  private readonly images = new Map<string, ShelvedImage>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  has(id: string): boolean {
    return this.images.has(id);
  }

  get(id: string): ShelvedImage | undefined {
    return this.images.get(id);
  }

  /**
   * Downloads the image at `url` unless it is kept already. A failed download throws the
   * fetcher's ImageDownloadError, which says whether trying again may help.
   */
  async fetchOnce(id: string, url: string, fetcher: ImageFetcher): Promise<void> {
    if (this.images.has(id)) return;
    const image = await fetcher.download(url);
    this.put(id, { bytes: image.bytes, contentType: image.contentType });
  }

  put(id: string, image: ShelvedImage): void {
    this.delete(id);
    this.images.set(id, image);
    this.bytes += image.bytes.length;
    for (const [oldest, stored] of this.images) {
      if (this.bytes <= this.maxBytes || oldest === id) break;
      this.images.delete(oldest);
      this.bytes -= stored.bytes.length;
    }
  }

  delete(id: string): void {
    const stored = this.images.get(id);
    if (!stored) return;
    this.images.delete(id);
    this.bytes -= stored.bytes.length;
  }
}
