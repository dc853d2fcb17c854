import { Agent, request } from 'undici';
import { sleep } from './backoff.js';

/**
 * Downloads use their own connection pool, never undici's process-wide default: chat SDKs bring
 * their own undici copies, and sharing that default between major versions breaks their requests.
 */
const downloadAgent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Tries for a download that failed in a way that may pass (network, timeout, HTTP 5xx or 429). */
  attempts?: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 50 * 1024 * 1024,
  timeoutMs: 60_000,
  maxRedirects: 3,
};

export interface DownloadedImage {
  bytes: Buffer;
  contentType: string;
  /** A file name for uploads, from the URL's last segment when it has one. */
  fileName: string;
}

export class ImageDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: 'too_large' | 'bad_url' | 'http_status' | 'timeout' | 'network',
    /** Worth another try: the same request may succeed in a moment. */
    readonly transient = reason === 'timeout' || reason === 'network',
  ) {
    super(message);
    this.name = 'ImageDownloadError';
  }
}

/**
 * Fetches a result image with limits, because the URL comes from an outside answer: only http(s),
 * a size cap (checked while streaming, not trusted from headers), a timeout and few redirects.
 */
export async function downloadImage(
  url: string,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
): Promise<DownloadedImage> {
  const attempts = Math.max(1, limits.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await downloadOnce(url, limits);
    } catch (error) {
      const transient = error instanceof ImageDownloadError && error.transient;
      if (!transient || attempt >= attempts) throw error;
      await sleep(250 * 2 ** (attempt - 1));
    }
  }
}

async function downloadOnce(url: string, limits: DownloadLimits): Promise<DownloadedImage> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = parseHttpUrl(url);
  for (let redirects = 0; ; redirects++) {
    let response;
    try {
      response = await request(current, {
        dispatcher: downloadAgent,
        method: 'GET',
        signal,
        headersTimeout: limits.timeoutMs,
        bodyTimeout: limits.timeoutMs,
      });
    } catch (error) {
      throw new ImageDownloadError(
        `could not download ${current.origin}: ${(error as Error).message}`,
        signal.aborted ? 'timeout' : 'network',
      );
    }
    const { statusCode, headers, body } = response;
    if (statusCode >= 300 && statusCode < 400 && headers.location) {
      await body.dump();
      if (redirects >= limits.maxRedirects)
        throw new ImageDownloadError(`more than ${limits.maxRedirects} redirects`, 'bad_url');
      current = parseHttpUrl(new URL(String(headers.location), current).toString());
      continue;
    }
    if (statusCode !== 200) {
      await body.dump();
      throw new ImageDownloadError(
        `image download answered HTTP ${statusCode}`,
        'http_status',
        statusCode >= 500 || statusCode === 429,
      );
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      // undici reports the abort we cause as an 'error' event; without a listener it would crash the process.
      body.on('error', () => {});
      body.destroy();
      throw new ImageDownloadError(
        `image is ${declared} bytes, over the ${limits.maxBytes}-byte limit`,
        'too_large',
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) {
          body.destroy();
          throw new ImageDownloadError(
            `image is over the ${limits.maxBytes}-byte limit`,
            'too_large',
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof ImageDownloadError) throw error;
      throw new ImageDownloadError(
        `image download broke off: ${(error as Error).message}`,
        signal.aborted ? 'timeout' : 'network',
      );
    }
    const contentType = String(headers['content-type'] ?? 'application/octet-stream')
      .split(';')[0]!
      .trim();
    return {
      bytes: Buffer.concat(chunks),
      contentType,
      fileName: fileNameFor(current, contentType),
    };
  }
}

function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ImageDownloadError(`"${text.slice(0, 100)}" is not a URL`, 'bad_url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ImageDownloadError(`refusing to download from a ${url.protocol} URL`, 'bad_url');
  }
  return url;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

function fileNameFor(url: URL, contentType: string): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  if (/^[\w.-]+\.(png|jpe?g|webp|gif)$/i.test(last)) return last;
  return `image.${EXTENSIONS[contentType] ?? 'png'}`;
}
