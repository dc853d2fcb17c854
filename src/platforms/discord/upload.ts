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

/** The image as a link with the reason it was not uploaded; used whenever uploading is not possible. */
export function linkedImage(url: string, sizeLimit: number, tooLarge: boolean): ImagePlacement {
  const reason = tooLarge
    ? `The image is larger than the ${readableSize(sizeLimit)} upload limit here, so it is shown from the image service's link.`
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
    return { placement: linkedImage(url, sizeLimit, tooLarge), files: [] };
  }
}
