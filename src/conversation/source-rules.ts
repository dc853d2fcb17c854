import type { UserError } from '../core/errors.js';
import { MAX_SOURCES } from '../core/source-links.js';
import type { SourceInput } from './interaction.js';
import { refusal } from './messages.js';

export { MAX_SOURCES } from '../core/source-links.js';
/** The image API fetches sources of at most 30 MB. */
export const MAX_SOURCE_MB = 30;
export const MAX_SOURCE_BYTES = MAX_SOURCE_MB * 1024 * 1024;

/** What the image API reads; GIF and the rest are refused before any task. */
const SOURCE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/pjpeg',
  'image/webp',
]);

export function isSourceType(contentType: string): boolean {
  return SOURCE_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
}

/** The file's own name, else the last part of its URL's path, else "image". */
export function sourceName(input: SourceInput): string {
  if (input.name) return input.name;
  try {
    const last = new URL(input.url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'image';
  } catch {
    return 'image';
  }
}

/**
 * What is wrong with offered sources by what the platform declared alone (how many, their type,
 * their size), without any I/O: a Discord attachment too big or not an image is refused before
 * anything is fetched, and before the platform shows a public "thinking…".
 */
export function declaredSourceProblem(inputs: readonly SourceInput[]): UserError | undefined {
  if (inputs.length > MAX_SOURCES)
    return refusal('too_many_sources', { given: inputs.length, max: MAX_SOURCES });
  for (const input of inputs) {
    const name = sourceName(input);
    if (input.contentType !== undefined && !isSourceType(input.contentType))
      return refusal('source_not_image', { name });
    if (input.size !== undefined && input.size > MAX_SOURCE_BYTES)
      return refusal('source_too_large', { name, maxMb: MAX_SOURCE_MB });
  }
  return undefined;
}
