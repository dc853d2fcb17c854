import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceLinks } from '../core/source-links.js';

/** A link the API is given stays valid this long: time to wait in line, create and fetch. */
export const SOURCE_LINK_LIFETIME_MS = 60 * 60 * 1000;

export interface SignedSourceLinksOptions {
  /** Where this bot's `/sources/` is reachable from the API, without a trailing slash. */
  baseUrl: () => string | undefined;
  /** The image API key: the signing key is derived from it, so every replica signs alike. */
  apiKey: string;
  now?: () => number;
  /** How long a link stays valid (default and most: SOURCE_LINK_LIFETIME_MS). */
  lifetimeMs?: number;
}

/** What a request for a signed source names. */
export interface SourceLinkClaim {
  requestId: string;
  hostedId: string;
  expires: string;
  sig: string;
}

/**
 * Signs `/sources/<requestId>/<hostedId>?expires=…&sig=…` for one job and checks such links. The
 * HMAC covers all three, so no part can be changed, and its key (derived from the API key, never
 * the key itself) is the same on every replica and never leaves the process.
 */
export class SignedSourceLinks implements SourceLinks {
  private readonly key: Buffer;
  private readonly now: () => number;
  private readonly lifetimeMs: number;

  constructor(private readonly options: SignedSourceLinksOptions) {
    this.lifetimeMs = Math.min(
      options.lifetimeMs ?? SOURCE_LINK_LIFETIME_MS,
      SOURCE_LINK_LIFETIME_MS,
    );
    this.key = createHmac('sha256', options.apiKey).update('gpt-image-bot source links').digest();
    this.now = options.now ?? Date.now;
  }

  /** Is there a base URL to serve kept images from? Without one, private sources are refused. */
  get available(): boolean {
    return this.options.baseUrl() !== undefined;
  }

  urlFor(hostedId: string, requestId: string): string {
    const base = this.options.baseUrl();
    if (!base) throw new Error('no base URL to serve image sources from (PUBLIC_URL)');
    const expires = String(Math.floor((this.now() + this.lifetimeMs) / 1000));
    const sig = this.sign(requestId, hostedId, expires);
    return `${base}/sources/${encodeURIComponent(requestId)}/${hostedId}?expires=${expires}&sig=${sig}`;
  }

  /** The signature matches and the link has not expired (nor claims to last beyond a lifetime). */
  verify(claim: SourceLinkClaim): boolean {
    if (!/^\d{1,12}$/.test(claim.expires)) return false;
    const expiresMs = Number(claim.expires) * 1000;
    const now = this.now();
    if (expiresMs < now || expiresMs > now + SOURCE_LINK_LIFETIME_MS) return false;
    const expected = Buffer.from(this.sign(claim.requestId, claim.hostedId, claim.expires));
    const given = Buffer.from(claim.sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(requestId: string, hostedId: string, expires: string): string {
    return createHmac('sha256', this.key)
      .update(`${requestId}\n${hostedId}\n${expires}`)
      .digest('base64url');
  }
}
