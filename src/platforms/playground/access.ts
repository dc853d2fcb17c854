import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../../config.js';
import { translator, type Locale } from '../../i18n/index.js';
import { PLAYGROUND_PATH } from './paths.js';

const SESSION_COOKIE = 'playground_session';
/** What the session cookie is derived from besides the token, so the cookie is not the token. */
const SESSION_PURPOSE = 'gpt-image-bot playground session';

export interface AccessOptions {
  /** HTTP_HOST or its default: where the HTTP server listens. */
  listenHost: string;
  /** PLAYGROUND_TOKEN: required (checked at start-up) when listenHost is not loopback. */
  token: string | undefined;
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

/** Equal-length digests, so neither the length nor the first differing byte shows in the timing. */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), expected);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** `[::1]:3000` → `::1`. */
function hostName(host: string | undefined): string | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::\d+)?$/.exec((host ?? '').trim().toLowerCase());
  return match?.[1]!.replace(/^\[(.*)\]$/, '$1');
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Who may use the playground. On loopback (the quick start) anyone on this machine, as before.
 * Listening beyond it, only a browser that presented PLAYGROUND_TOKEN once (the printed URL's
 * `?token=`) and holds the HttpOnly, SameSite=Strict session cookie it was given for it. Always:
 * the Host must name this server (no DNS rebinding) and a state-changing request must come from
 * the playground's own page (Origin), so another site cannot spend credits through a browser.
 */
export class PlaygroundAccess {
  /** Listening beyond loopback: every request needs the session cookie. */
  readonly exposed: boolean;
  private readonly tokenDigest: Buffer | undefined;
  private readonly session: string | undefined;
  private readonly sessionDigest: Buffer | undefined;

  constructor(private readonly options: AccessOptions) {
    this.exposed = !isLoopbackHost(options.listenHost);
    if (this.exposed && !options.token)
      throw new Error('PLAYGROUND_TOKEN is required when the playground listens beyond loopback');
    if (options.token) {
      this.tokenDigest = createHash('sha256').update(options.token).digest();
      // Derived from the token, so sessions outlive a restart and end when the token changes.
      this.session = createHmac('sha256', options.token).update(SESSION_PURPOSE).digest('hex');
      this.sessionDigest = createHash('sha256').update(this.session).digest();
    }
  }

  /** Host, peer and session; for a POST also Origin. Undefined: go ahead. */
  refusal(
    request: IncomingMessage,
    needsSession: boolean,
    locale: Locale = 'en',
  ): Refusal | undefined {
    const port = request.socket.localPort ?? 0;
    const t = translator(locale);
    if (!this.hostAllowed(request)) {
      return {
        status: 403,
        message: t('playground.access.wrongHost', {
          url: `http://localhost:${port}${PLAYGROUND_PATH}`,
        }),
      };
    }
    if (!this.exposed && !isLoopbackHost(request.socket.remoteAddress ?? '')) {
      return {
        status: 403,
        message: t('playground.access.localOnly'),
      };
    }
    if (request.method === 'POST' && !this.sameOrigin(request)) {
      return { status: 403, message: t('playground.access.crossSite') };
    }
    if (this.exposed && needsSession && !this.hasSession(request)) {
      return {
        status: 401,
        message: t('playground.access.needsToken'),
      };
    }
    return undefined;
  }

  /** `?token=` on the page's address: valid, wrong, or not given (or not needed, on loopback). */
  presentedToken(request: IncomingMessage): 'valid' | 'wrong' | undefined {
    const given = new URL(request.url ?? '', 'http://x').searchParams.get('token');
    if (given === null || !this.exposed) return undefined;
    return this.tokenDigest && sameSecret(given, this.tokenDigest) ? 'valid' : 'wrong';
  }

  /** Set-Cookie for a visitor who presented the token: sent back by their page, never readable by it. */
  sessionCookie(): string {
    if (!this.session) throw new Error('no PLAYGROUND_TOKEN to make a session from');
    return `${SESSION_COOKIE}=${this.session}; Path=${PLAYGROUND_PATH}; HttpOnly; SameSite=Strict`;
  }

  private hasSession(request: IncomingMessage): boolean {
    const given = cookie(request, SESSION_COOKIE);
    return !!given && !!this.sessionDigest && sameSecret(given, this.sessionDigest);
  }

  /**
   * localhost, HTTP_HOST, or (listening on every interface) the address the connection arrived
   * at. A name pointed at this machine by another site is refused. Any port: Docker and proxies
   * publish the server on ports of their own.
   */
  private hostAllowed(request: IncomingMessage): boolean {
    const name = hostName(request.headers.host);
    if (!name) return false;
    if (isLoopbackHost(name)) return true;
    const listen = this.options.listenHost.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (!isWildcard(listen)) return name === listen;
    return name === (request.socket.localAddress ?? '').replace(/^::ffff:/, '');
  }

  /**
   * Browsers send Origin with every POST from a page; another site's page sends its own. No
   * Origin at all is a program, not a page (and then Sec-Fetch-Site, if sent, must not say
   * cross-site).
   */
  private sameOrigin(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) {
      const site = request.headers['sec-fetch-site'];
      return site === undefined || site === 'same-origin' || site === 'none';
    }
    try {
      return new URL(origin).host === (request.headers.host ?? '').toLowerCase();
    } catch {
      return false; // "null" (sandboxed frames, file pages) or garbage
    }
  }
}
