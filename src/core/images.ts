import { Agent, request, type Dispatcher } from 'undici';
import { classifyAddress } from './fetch/address.js';
import { ForbiddenAddressError, guardedLookup } from './fetch/guarded-lookup.js';
import {
  isAcceptedContentType,
  sniffImageType,
  SNIFF_BYTES,
  type ImageType,
} from './fetch/image-type.js';
import { ImageDownloadError } from './fetch/download-error.js';
import { TransferWatch } from './fetch/transfer-watch.js';
import { TrustedHosts } from './fetch/trusted-hosts.js';
import { retry } from './retry.js';
import { DeliveryError } from './types.js';

export { ImageDownloadError, type DownloadFailure } from './fetch/download-error.js';

export interface DownloadLimits {
  maxBytes: number;
  /** The whole download, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
  /** Tries for a download that failed in a way that may pass (network, slow, HTTP 5xx or 429). */
  attempts?: number;
  /** A host sending less than this, averaged over `slowWindowMs`, is given up on. */
  minBytesPerSecond?: number;
  slowWindowMs?: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: Required<DownloadLimits> = {
  maxBytes: 50 * 1024 * 1024,
  timeoutMs: 60_000,
  maxRedirects: 3,
  // One try: a delivery is retried by core, which frees its slot while it waits.
  attempts: 1,
  minBytesPerSecond: 8 * 1024,
  slowWindowMs: 10_000,
};

/** Someone is waiting on a probe (an edit about to start): a host this slow is as good as down. */
const PROBE_TIMEOUT_MS = 15_000;

export interface DownloadedImage {
  bytes: Buffer;
  /** What the bytes are (PNG, JPEG, WEBP or GIF), never what the server or the URL claimed. */
  contentType: ImageType['contentType'];
  /** `image.png`, `image.jpg`…: from the bytes, never from the URL. */
  fileName: string;
}

export interface ImageFetcherOptions {
  /** The image API's origin as configured (AIGPTIMAGE_BASE_URL): its host and port are trusted. */
  apiBaseUrl?: string;
  /**
   * FETCH_ALLOW_HOSTS: more hosts the operator vouched for (`host`, `host:port`, `*.example.com`).
   * Trusted hosts may resolve to private or loopback addresses; no other host may.
   */
  allowHosts?: readonly string[];
  limits?: Partial<DownloadLimits>;
}

/**
 * The one way the bot fetches a URL someone else chose (result images, sources of edits): only
 * http(s); only public addresses unless the host is trusted, checked on the address actually
 * dialled and again on every redirect; capped in size, redirects, time and slowness; and only
 * PNG, JPEG, WEBP or GIF, by content type and by the bytes themselves.
 */
export class ImageFetcher {
  readonly limits: Required<DownloadLimits>;
  private readonly trusted: TrustedHosts;
  /**
   * Own connection pools, never undici's process-wide default: chat SDKs bring their own undici
   * copies, and sharing that default between major versions breaks their requests.
   */
  private readonly publicOnly = new Agent({
    connections: 16,
    keepAliveTimeout: 10_000,
    connect: { lookup: guardedLookup },
  });
  private readonly vouchedFor = new Agent({ connections: 16, keepAliveTimeout: 10_000 });

  constructor(options: ImageFetcherOptions = {}) {
    const apiOrigin = options.apiBaseUrl && TrustedHosts.originOf(options.apiBaseUrl);
    this.trusted = new TrustedHosts([
      ...(apiOrigin ? [apiOrigin] : []),
      ...(options.allowHosts ?? []),
    ]);
    this.limits = { ...DEFAULT_DOWNLOAD_LIMITS, ...options.limits };
  }

  async download(url: string, overrides: Partial<DownloadLimits> = {}): Promise<DownloadedImage> {
    const limits = { ...this.limits, ...overrides };
    return retry(() => this.downloadOnce(url, limits), {
      maxAttempts: Math.max(1, limits.attempts),
      // Waits of 250 ms, 500 ms, 1 s…: the host is one, so there is nobody to spread out from.
      retryable: (error, attempt) =>
        error instanceof ImageDownloadError && error.transient
          ? { afterMs: 250 * 2 ** (attempt - 1) }
          : false,
    });
  }

  /** May this URL's host be fetched at a private or loopback address (the API's origin, FETCH_ALLOW_HOSTS)? */
  trusts(url: URL): boolean {
    return this.trusted.trusts(url);
  }

  async close(): Promise<void> {
    await Promise.all([this.publicOnly.close(), this.vouchedFor.close()]);
  }

  private async downloadOnce(
    url: string,
    limits: Required<DownloadLimits>,
  ): Promise<DownloadedImage> {
    const watch = new TransferWatch(limits);
    try {
      const { response, url: answered } = await this.follow(url, limits, watch);
      return await readImage(response, answered, limits, watch);
    } finally {
      watch.stop();
    }
  }

  /**
   * Checks that a URL answers with an image without downloading it: GET, then only the status,
   * the content type, the declared length and the first bytes (sniffed), then the rest is dropped.
   * The same guards as a download (addresses, redirects, time). Throws ImageDownloadError.
   */
  async probe(
    url: string,
    { maxBytes, timeoutMs = PROBE_TIMEOUT_MS }: { maxBytes: number; timeoutMs?: number },
  ): Promise<ProbedImage> {
    const limits = {
      ...this.limits,
      maxBytes,
      timeoutMs: Math.min(timeoutMs, this.limits.timeoutMs),
    };
    const watch = new TransferWatch(limits);
    try {
      const { response, url: answered } = await this.follow(url, limits, watch);
      return await readImageStart(response, answered, limits, watch);
    } finally {
      watch.stop();
    }
  }

  /** GETs the URL, following at most `maxRedirects` redirects, each one checked like the first. */
  private async follow(
    url: string,
    limits: Required<DownloadLimits>,
    watch: TransferWatch,
  ): Promise<{ response: Dispatcher.ResponseData; url: URL }> {
    let current = parseHttpUrl(url);
    for (let redirects = 0; ; redirects++) {
      const response = await this.requestHop(current, limits, watch);
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location) {
        discard(response.body);
        if (redirects >= limits.maxRedirects)
          throw new ImageDownloadError(`more than ${limits.maxRedirects} redirects`, 'bad_url');
        current = parseHttpUrl(new URL(String(location), current).toString());
        continue;
      }
      return { response, url: current };
    }
  }

  /** One request, through the pool that checks addresses unless the operator trusts the host. */
  private async requestHop(
    url: URL,
    limits: Required<DownloadLimits>,
    watch: TransferWatch,
  ): Promise<Dispatcher.ResponseData> {
    const trusted = this.trusted.trusts(url);
    const literal = classifyAddress(url.hostname);
    if (!trusted && literal !== 'public' && literal !== 'not-an-address')
      throw new ImageDownloadError(`${url.host} is a ${literal} address`, 'forbidden_address');
    try {
      return await request(url, {
        dispatcher: trusted ? this.vouchedFor : this.publicOnly,
        method: 'GET',
        signal: watch.signal,
        headersTimeout: limits.timeoutMs,
        bodyTimeout: limits.timeoutMs,
      });
    } catch (error) {
      const forbidden = forbiddenIn(error);
      if (forbidden)
        throw new ImageDownloadError(
          `${url.host} resolves to a ${forbidden.kind} address`,
          'forbidden_address',
        );
      throw watch.failure(error, `could not download from ${url.host}`);
    }
  }
}

/** What a probe learnt of an image without downloading it. */
export interface ProbedImage {
  /** From the first bytes, never from what the server claimed. */
  contentType: ImageType['contentType'];
  /** The content-length the server declared, when it did. */
  declaredBytes?: number;
}

/** A 200 answer with an image content type, or the error saying which it was not. */
function checkAnswer({ statusCode, headers, body }: Dispatcher.ResponseData, url: URL): number {
  if (statusCode !== 200) {
    discard(body);
    throw new ImageDownloadError(
      `${url.host} answered HTTP ${statusCode}`,
      'http_status',
      statusCode >= 500 || statusCode === 429,
    );
  }
  if (!isAcceptedContentType(headers['content-type'])) {
    discard(body);
    throw new ImageDownloadError(
      `${url.host} sent ${String(headers['content-type'] ?? 'no content type')}, not an image`,
      'not_image',
    );
  }
  return headers['content-length'] === undefined ? NaN : Number(headers['content-length']);
}

/** Reads only the first bytes of an image answer, then drops the connection's body. */
async function readImageStart(
  response: Dispatcher.ResponseData,
  url: URL,
  limits: Required<DownloadLimits>,
  watch: TransferWatch,
): Promise<ProbedImage> {
  const declared = checkAnswer(response, url);
  if (declared > limits.maxBytes) {
    discard(response.body);
    throw new ImageDownloadError(
      `the image from ${url.host} is over the ${limits.maxBytes}-byte limit`,
      'too_large',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the body; an 'error' from that must not go unheard.
  response.body.on('error', () => {});
  try {
    for await (const chunk of response.body) {
      const bytes = chunk as Buffer;
      watch.progress(bytes.length);
      chunks.push(bytes);
      size += bytes.length;
      if (size >= SNIFF_BYTES) break;
    }
  } catch (error) {
    throw watch.failure(error, `the answer from ${url.host} broke off`);
  } finally {
    discard(response.body);
  }
  const type = imageTypeOf(Buffer.concat(chunks), url);
  return {
    contentType: type.contentType,
    ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}),
  };
}

/** Reads the answer if, and only if, it is an image: type first, then its bytes, within the caps. */
async function readImage(
  response: Dispatcher.ResponseData,
  url: URL,
  limits: Required<DownloadLimits>,
  watch: TransferWatch,
): Promise<DownloadedImage> {
  const declared = checkAnswer(response, url);
  const body = response.body;
  const chunks: Buffer[] = [];
  let size = 0;
  let type: ImageType | undefined;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      watch.progress(bytes.length);
      chunks.push(bytes);
      size += bytes.length;
      if (!type && size >= SNIFF_BYTES) type = imageTypeOf(Buffer.concat(chunks), url);
      const overCap = size > limits.maxBytes || (type !== undefined && declared > limits.maxBytes);
      if (overCap) {
        throw new ImageDownloadError(
          `the image from ${url.host} is over the ${limits.maxBytes}-byte limit`,
          'too_large',
          false,
          type !== undefined && Number.isFinite(declared),
        );
      }
    }
  } catch (error) {
    discard(body);
    if (error instanceof ImageDownloadError) throw error;
    throw watch.failure(error, `the download from ${url.host} broke off`);
  }
  const bytes = Buffer.concat(chunks);
  type ??= imageTypeOf(bytes, url);
  return { bytes, contentType: type.contentType, fileName: `image.${type.extension}` };
}

function imageTypeOf(bytes: Buffer, url: URL): ImageType {
  const type = sniffImageType(bytes);
  if (!type)
    throw new ImageDownloadError(
      `${url.host} sent something that is not a PNG, JPEG, WEBP or GIF image`,
      'not_image',
    );
  return type;
}

/** Drops a body we will not read. undici reports the abort as an 'error'; unheard, it would crash. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

function forbiddenIn(error: unknown): ForbiddenAddressError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ForbiddenAddressError) return cause;
  }
  return undefined;
}

function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ImageDownloadError('the image address is not a URL', 'bad_url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ImageDownloadError(`refusing to download from a ${url.protocol} URL`, 'bad_url');
  }
  return url;
}

/** Downloads a result for a delivery; a failure becomes the DeliveryError core acts on. */
export async function downloadResult(
  fetcher: ImageFetcher,
  url: string,
  limits?: Partial<DownloadLimits>,
): Promise<DownloadedImage> {
  try {
    return await fetcher.download(url, limits);
  } catch (error) {
    throw error instanceof ImageDownloadError ? downloadDeliveryError(error) : error;
  }
}

/**
 * How a delivery reports a result it could not fetch: core tries again later (with its slot
 * released) when that may help, and otherwise tells the requester and refunds them.
 */
export function downloadDeliveryError(error: ImageDownloadError): DeliveryError {
  return new DeliveryError(
    error.transient ? 'TEMPORARY' : 'PERMANENT',
    `the result image could not be fetched: ${error.message}`,
    undefined,
    { cause: error },
  );
}

/** The download failure behind an error from a delivery, if that is what it was. */
export function downloadFailureOf(error: unknown): ImageDownloadError | undefined {
  if (error instanceof ImageDownloadError) return error;
  if (error instanceof DeliveryError && error.cause instanceof ImageDownloadError)
    return error.cause;
  return undefined;
}
