import type { IncomingMessage } from 'node:http';

/** One answer of the simulated API, before it is written to the socket. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The API's own wording for each status it documents. */
const DEFAULT_MESSAGE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Invalid request parameters',
  401: 'Authentication failed or API key is invalid',
  402: 'Insufficient credits',
  404: 'Task not found',
  405: 'Method not allowed',
  409: 'Active task limit exceeded',
  413: 'Request body too large',
  422: 'Parameter validation failed',
  429: 'Request rate limit exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
};

export function jsonResponse(status: number, payload: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

export function successResponse(data: unknown): SimResponse {
  return jsonResponse(200, { code: 200, msg: 'success', data });
}

export function errorResponse(status: number, msg?: string): SimResponse {
  return jsonResponse(status, { code: status, msg: msg ?? defaultMessage(status) });
}

export function defaultMessage(code: number): string {
  return DEFAULT_MESSAGE_BY_STATUS[code] ?? 'Request failed';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function readBody(
  req: IncomingMessage,
): Promise<{ body: Buffer | null; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // Keep draining an oversized body so the connection stays usable, but stop buffering it.
    if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { body: chunks.length > 0 ? Buffer.concat(chunks) : null, tooLarge };
}
