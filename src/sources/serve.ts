import type { IncomingMessage, ServerResponse } from 'node:http';
import { sniffImageType } from '../core/fetch/image-type.js';
import type { Store } from '../core/store.js';
import { TERMINAL_STATES, type JobRecord } from '../core/types.js';
import { HOSTED_ID_PATTERN, hostedImages } from './hosted.js';
import type { SignedSourceLinks, SourceLinkClaim } from './links.js';

export const SOURCES_PATH_PREFIX = '/sources/';

const SOURCE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/**
 * Serves `/sources/<requestId>/<hostedId>?expires=…&sig=…` to the image API: only with a valid,
 * unexpired signature, only an image kept in the `sources` namespace, and only while that job is
 * in flight. Every refusal is the same 404, so a prober learns nothing about what exists.
 */
export function sourceRequestHandler(store: Store, links: SignedSourceLinks) {
  const images = hostedImages(store);
  const jobs = store.namespace<JobRecord>('jobs');
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const claim = request.method === 'GET' || request.method === 'HEAD' ? claimOf(request) : null;
    if (!claim || !links.verify(claim)) return notFound(response);
    const [image, job] = await Promise.all([images.get(claim.hostedId), jobs.get(claim.requestId)]);
    if (!image || !job || TERMINAL_STATES.has(job.state)) return notFound(response);
    const bytes = Buffer.from(image.bytes, 'base64');
    // The type the bytes are, never one stored or guessed: nothing but an image leaves here.
    const type = sniffImageType(bytes)?.contentType;
    if (!type || !SOURCE_TYPES.has(type)) return notFound(response);
    response.writeHead(200, {
      'content-type': type,
      'content-length': bytes.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  };
}

/** The parts of a well-formed source path; null for anything else (`..`, extra segments…). */
function claimOf(request: IncomingMessage): SourceLinkClaim | null {
  const url = new URL(request.url ?? '/', 'http://source.invalid');
  const match = /^\/sources\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!match) return null;
  let requestId: string;
  try {
    requestId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const hostedId = match[2]!;
  const expires = url.searchParams.get('expires');
  const sig = url.searchParams.get('sig');
  if (!HOSTED_ID_PATTERN.test(hostedId) || !expires || !sig) return null;
  return { requestId, hostedId, expires, sig };
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'not found' }));
}
