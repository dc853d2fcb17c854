import { randomBytes } from 'node:crypto';
import type { AttachedFile } from '../../conversation/index.js';
import { ImageShelf, type ShelvedImage } from './image-shelf.js';

/** The route serving an admin's chart or export, `?id=` naming the file. */
export const FILE_ROUTE = 'api/file';
/** Charts are tens of kilobytes and exports a few megabytes at most: room for many answers. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Files attached to private answers (the usage chart, the audit export), kept in memory as Discord
 * and Slack keep an attachment, under an id nobody can guess: only the card that shows it links to it.
 * Bounded like the images: the oldest go first, and their links then say the file is no longer kept.
 */
export class AttachedFiles {
  private readonly shelf = new ImageShelf(MAX_BYTES);

  /** Keeps the file; the answer is the page's link to it. */
  keep(file: AttachedFile): string {
    const id = randomBytes(16).toString('hex');
    this.shelf.put(id, { bytes: file.data, contentType: file.contentType, name: file.name });
    return `${FILE_ROUTE}?id=${id}`;
  }

  get(id: string): ShelvedImage | undefined {
    return this.shelf.get(id);
  }
}
