import { randomBytes } from 'node:crypto';
import type { Store } from '../core/store.js';

/** An image the bot keeps to serve to the API itself (a Slack file, an upload, a local file). */
export interface HostedImage {
  /** The image's bytes, base64: every store keeps strings. */
  bytes: string;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  name: string;
}

/** Long enough for a Reroll or Try again of an edit the next day to find its source again. */
export const HOSTED_IMAGE_TTL_MS = 24 * 60 * 60 * 1000;

const EXTENSIONS: Record<HostedImage['contentType'], string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

/**
 * `<24 random bytes, base64url>.<ext>`: unguessable, and it carries the extension so the signed
 * URL ends like the file it serves (the API may go by it).
 */
export function newHostedId(contentType: HostedImage['contentType']): string {
  return `${randomBytes(24).toString('base64url')}.${EXTENSIONS[contentType]}`;
}

/** Exactly the shape newHostedId makes: nothing else is ever looked up. */
export const HOSTED_ID_PATTERN = /^[A-Za-z0-9_-]{32}\.(png|jpg|webp)$/;

export function hostedImages(store: Store) {
  return store.namespace<HostedImage>('sources');
}
