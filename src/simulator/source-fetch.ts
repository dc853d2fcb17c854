import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** What the API accepts per source image (more-facts.md). */
export const MAX_SOURCE_BYTES = 30 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

/** One source fetch as the simulator records it (the tests read these). */
export interface SourceFetch {
  taskId: string;
  url: string;
  /** The final answer's HTTP status; null when no answer came (refused, timed out, redirected away). */
  status: number | null;
  contentType: string | null;
  /** Bytes received (stops at the limit). */
  bytes: number;
}

export type SourceFetchResult =
  | { ok: true; body: Buffer; record: Omit<SourceFetch, 'taskId'> }
  | { ok: false; reason: string; record: Omit<SourceFetch, 'taskId'> };

/**
 * Whether the API would fetch this URL at all: https, or http to a loopback host (or another name
 * of this machine it was told of). Loopback stands in for the public internet of the tests' fakes
 * and of a bot serving its own sources to the simulator on the same machine; the real API takes
 * https only.
 */
export function isFetchableSourceUrl(url: URL, localHosts: readonly string[] = []): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isLoopbackHost(host) || localHosts.includes(host);
}

function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Fetches one source as the API does before it starts an edit: 200, an image content type, at
 * most 30 MB, within 10 seconds, following a few redirects only to URLs it would fetch itself.
 */
export async function fetchSource(
  address: string,
  { cancel, localHosts = [] }: { cancel?: AbortSignal; localHosts?: readonly string[] } = {},
): Promise<SourceFetchResult> {
  const record = { url: address, status: null, contentType: null, bytes: 0 };
  // One deadline for the whole download, redirects included.
  const deadline = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
  let url = parseUrl(address);
  if (!url) return { ok: false, reason: 'not a valid URL', record };
  for (let hop = 0; ; hop++) {
    let response: IncomingMessage;
    try {
      response = await get(url, signal);
    } catch (error) {
      return { ok: false, reason: describeFailure(error, deadline), record };
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      const next = parseUrl(location, url);
      if (!next)
        return { ok: false, reason: 'redirected to an invalid URL', record: { ...record, status } };
      if (hop >= MAX_REDIRECTS)
        return { ok: false, reason: 'too many redirects', record: { ...record, status } };
      if (!isFetchableSourceUrl(next, localHosts))
        return {
          ok: false,
          reason: 'redirected to a URL that is not https',
          record: { ...record, status },
        };
      url = next;
      continue;
    }
    return readSource(response, record, deadline);
  }
}

async function readSource(
  response: IncomingMessage,
  base: Omit<SourceFetch, 'taskId'>,
  deadline: AbortSignal,
): Promise<SourceFetchResult> {
  const status = response.statusCode ?? 0;
  const contentType = response.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? null;
  const record = { ...base, status, contentType };
  const refuse = (reason: string, bytes = 0): SourceFetchResult => {
    response.destroy();
    return { ok: false, reason, record: { ...record, bytes } };
  };
  if (status !== 200) return refuse(`HTTP ${status}`);
  if (!contentType?.startsWith('image/'))
    return refuse(`not an image (content type ${contentType ?? 'missing'})`);
  const declared = Number(response.headers['content-length']);
  if (declared > MAX_SOURCE_BYTES) return refuse('larger than 30 MB');
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response) {
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_SOURCE_BYTES) return refuse('larger than 30 MB', bytes);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    const reason = describeFailure(error, deadline);
    return refuse(deadline.aborted ? reason : `the download broke off (${reason})`, bytes);
  }
  return { ok: true, body: Buffer.concat(chunks), record: { ...record, bytes } };
}

function parseUrl(text: string, base?: URL): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'GET', headers: { accept: 'image/*' }, signal }, resolve);
    request.once('error', reject);
    request.end();
  });
}

function describeFailure(error: unknown, deadline: AbortSignal): string {
  if (deadline.aborted) return `timed out after ${FETCH_TIMEOUT_MS / 1000} s`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  return error instanceof Error ? error.message : String(error);
}
