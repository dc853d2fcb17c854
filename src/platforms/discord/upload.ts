import type { RawFile } from 'discord.js';
import { ImageDownloadError, type ImageFetcher } from '../../core/images.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import type { ImagePlacement } from './render.js';

export interface PreparedImage {
  placement: ImagePlacement;
  files: RawFile[];
}

export function readableSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MB`;
}

/**
 * The image as a link with the reason it was not uploaded. `tooLarge` is the limit it exceeded,
 * `'unknown'` when Discord refused the size without saying, or undefined when it is not about size.
 */
export function linkedImage(url: string, tooLarge?: number | 'unknown'): ImagePlacement {
  return { kind: 'link', url, ...(tooLarge !== undefined ? { tooLarge } : {}) };
}

/** Why an image is shown from its link, in the reader's language. */
export function linkReason(
  image: Extract<ImagePlacement, { kind: 'link' }>,
  locale: Locale,
): string {
  if (image.tooLarge === undefined) return translate(locale, 'discord.link.notUploaded');
  if (image.tooLarge === 'unknown') return translate(locale, 'discord.link.overDiscordLimit');
  return translate(locale, 'discord.link.overLimit', { limit: readableSize(image.tooLarge) });
}

/**
 * Downloads a result to upload it. A real image over the upload limit (stopped while streaming,
 * not fully fetched) is linked instead; anything else that cannot be fetched is never linked: the
 * ImageDownloadError goes on to whoever decides what that means (PacedDelivery, the share handler).
 */
export async function prepareImage(
  url: string,
  sizeLimit: number,
  logger: Logger,
  fetcher: ImageFetcher,
): Promise<PreparedImage> {
  try {
    const image = await fetcher.download(url, { maxBytes: sizeLimit });
    return {
      placement: { kind: 'upload', fileName: image.fileName },
      files: [{ name: image.fileName, data: image.bytes, contentType: image.contentType }],
    };
  } catch (error) {
    if (error instanceof ImageDownloadError && error.reason === 'too_large' && error.linkable) {
      logger.info({ limit: sizeLimit }, 'image is over the upload limit; linking it instead');
      return { placement: linkedImage(url, sizeLimit), files: [] };
    }
    throw error;
  }
}
