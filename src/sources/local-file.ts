import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceInput } from '../conversation/interaction.js';
import { refusal, unreachable } from '../conversation/messages.js';
import { isUserError } from '../core/errors.js';
import type { DownloadedImage } from '../core/images.js';
import { sniffImageType } from '../core/fetch/image-type.js';
import { MAX_SOURCE_MB } from './prepare.js';

/** A file on this machine as a source: private (the API cannot reach it), served by the bot. */
export function localFileSource(path: string): SourceInput {
  return { url: pathToFileURL(path).toString(), name: basename(path), private: true };
}

/**
 * Reads a local file source (from localFileSource) as checked image bytes, never more than the
 * 30 MB limit of it. Pass it to `prepare` as `fetchPrivate`.
 */
export async function readLocalImage(source: SourceInput): Promise<DownloadedImage> {
  const name = source.name ?? 'image';
  const maxBytes = MAX_SOURCE_MB * 1024 * 1024;
  let bytes: Buffer;
  try {
    const file = await open(pathOf(source.url), 'r');
    try {
      const { size } = await file.stat();
      if (size > maxBytes) throw refusal('source_too_large', { name, maxMb: MAX_SOURCE_MB });
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (error) {
    if (isUserError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw unreachable(name, 'source.reason.unreadable_file', { code });
  }
  const type = sniffImageType(bytes);
  if (!type) throw refusal('source_not_image', { name });
  return { bytes, contentType: type.contentType, fileName: `image.${type.extension}` };
}

/** A `file:` URL (from localFileSource) or a plain path. */
function pathOf(location: string): string {
  return location.startsWith('file:') ? fileURLToPath(location) : location;
}
