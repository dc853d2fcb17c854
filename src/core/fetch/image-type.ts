export interface ImageType {
  contentType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  extension: 'png' | 'jpg' | 'webp' | 'gif';
}

/** Bytes needed to recognise every accepted format (WEBP's marker ends at byte 12). */
export const SNIFF_BYTES = 12;

/** Content types a result may be served as; anything else is not an image we show. */
const ACCEPTED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/pjpeg',
  'image/webp',
  'image/gif',
]);

export function isAcceptedContentType(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return ACCEPTED_CONTENT_TYPES.has(type);
}

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  Buffer.from(bytes.subarray(start, end)).toString('latin1');

/** What the file really is, from its first bytes; undefined for anything but PNG, JPEG, WEBP, GIF. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).toString('hex') === '89504e470d0a1a0a')
    return { contentType: 'image/png', extension: 'png' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { contentType: 'image/jpeg', extension: 'jpg' };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return { contentType: 'image/webp', extension: 'webp' };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6)))
    return { contentType: 'image/gif', extension: 'gif' };
  return undefined;
}
