import type { RawFile } from 'discord.js';
import {
  DEFAULT_DOWNLOAD_LIMITS,
  downloadImage,
  ImageDownloadError,
  type DownloadLimits,
} from '../../core/images.js';
import type { Logger } from '../../log.js';
import type { ImagePlacement } from './render.js';

export interface PreparedImage {
  placement: ImagePlacement;
  files: RawFile[];
}

function readableSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MB`;
}

/**
 * The image as a link with the reason it was not uploaded. `tooLarge` is the limit it exceeded,
 * `'unknown'` when Discord refused the size without saying, or undefined when it is not about size.
 */
export function linkedImage(url: string, tooLarge?: number | 'unknown'): ImagePlacement {
  const limit =
    typeof tooLarge === 'number'
      ? `the ${readableSize(tooLarge)} upload limit`
      : "Discord's upload limit";
  const reason = tooLarge
    ? `The image is larger than ${limit} here, so it is shown from the image service's link.`
    : "The image could not be uploaded to Discord, so it is shown from the image service's link.";
  return { kind: 'link', url, reason };
}

/**
 * Downloads a result to upload it. An image over the upload limit (stopped while streaming, not
 * fully fetched) or one that cannot be fetched is linked instead: shown, never lost.
 */
export async function prepareImage(
  url: string,
  sizeLimit: number,
  logger: Logger,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
): Promise<PreparedImage> {
  try {
    const image = await downloadImage(url, { ...limits, maxBytes: sizeLimit });
    return {
      placement: { kind: 'upload', fileName: image.fileName },
      files: [{ name: image.fileName, data: image.bytes, contentType: image.contentType }],
    };
  } catch (error) {
    const tooLarge = error instanceof ImageDownloadError && error.reason === 'too_large';
    if (!tooLarge) logger.warn({ err: error }, 'image could not be downloaded; linking it instead');
    return { placement: linkedImage(url, tooLarge ? sizeLimit : undefined), files: [] };
  }
}
