import { randomBytes } from 'node:crypto';
import { refusal } from '../../conversation/index.js';
import { unreachable } from '../../conversation/messages.js';
import type { SourceInput } from '../../conversation/interaction.js';
import { MAX_SOURCE_BYTES } from '../../conversation/source-rules.js';
import { sniffImageType } from '../../core/fetch/image-type.js';
import type { DownloadedImage } from '../../core/images.js';
import { ImageShelf } from './image-shelf.js';

/** What the image service accepts as a source, and so what the page may attach. */
export const MAX_UPLOAD_BYTES = MAX_SOURCE_BYTES;
const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / (1024 * 1024);
/** Sources the playground marks as its own: the conversation hands them back to fetchPrivateSource. */
const UPLOAD_SCHEME = 'upload:';
/** Uploads wait in memory until sent; the oldest go first beyond this. */
const SHELF_BYTES = 256 * 1024 * 1024;
const SOURCE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

export const UPLOAD_ROUTE = 'api/upload';

export interface Upload {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Served by the playground, for the thumbnail beside the message box and on the card. */
  url: string;
}

export function uploadUrlFor(id: string): string {
  return `${UPLOAD_ROUTE}/image?id=${encodeURIComponent(id)}`;
}

/** The upload a source names, or undefined when it is not one of the playground's. */
export function uploadIdOf(url: string): string | undefined {
  return url.startsWith(UPLOAD_SCHEME) ? url.slice(UPLOAD_SCHEME.length) : undefined;
}

/** A name to show and log: the file's own, without any folder, cut short. */
function cleanName(name: string | undefined): string {
  const base =
    (name ?? '')
      .split(/[\\/]/)
      .pop()
      ?.replace(/\p{Cc}/gu, '')
      .trim() ?? '';
  return base.slice(0, 100) || 'image';
}

/**
 * Images attached or pasted on the page, kept until a message sends them. Ids are random and
 * unguessable; an upload is only ever read back through the conversation (as a private source)
 * or as its own thumbnail.
 */
export class UploadShelf {
  private readonly shelf = new ImageShelf(SHELF_BYTES);
  private readonly names = new Map<string, string>();

  /**
   * Keeps the bytes if they are a PNG, JPEG or WEBP image of at most 30 MB (`too-large`: the
   * sender went past the limit and the rest was not read); throws a UserError otherwise.
   */
  accept(bytes: Buffer | 'too-large', name: string | undefined): Upload {
    const shown = cleanName(name);
    if (bytes === 'too-large' || bytes.length > MAX_UPLOAD_BYTES)
      throw refusal('source_too_large', { name: shown, maxMb: MAX_UPLOAD_MB });
    const type = sniffImageType(bytes);
    if (!type || !SOURCE_TYPES.has(type.contentType))
      throw refusal('source_not_image', { name: shown });
    const id = randomBytes(16).toString('hex');
    this.shelf.put(id, { bytes, contentType: type.contentType });
    this.names.set(id, shown);
    for (const kept of this.names.keys()) if (!this.shelf.has(kept)) this.names.delete(kept);
    return {
      id,
      name: shown,
      contentType: type.contentType,
      size: bytes.length,
      url: uploadUrlFor(id),
    };
  }

  get(id: string): { bytes: Buffer; contentType: string } | undefined {
    return this.shelf.get(id);
  }

  /** The source a message sends for an upload, or undefined when the id is not (or no longer) kept. */
  sourceOf(id: string): SourceInput | undefined {
    const image = this.shelf.get(id);
    const name = this.names.get(id);
    if (!image || !name) return undefined;
    return {
      url: `${UPLOAD_SCHEME}${id}`,
      name,
      contentType: image.contentType,
      size: image.bytes.length,
      private: true,
    };
  }

  /** The bytes of a source this shelf gave out, for the conversation to host for the API. */
  fetch(source: SourceInput): Promise<DownloadedImage> {
    const image = this.shelf.get(uploadIdOf(source.url) ?? '');
    const type = image && sniffImageType(image.bytes);
    if (!image || !type)
      return Promise.reject(unreachable(source.name ?? 'image', 'playground.upload.forgotten'));
    return Promise.resolve({
      bytes: image.bytes,
      contentType: type.contentType,
      fileName: `image.${type.extension}`,
    });
  }
}
