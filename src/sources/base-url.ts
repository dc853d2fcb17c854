import { isLoopbackHost } from '../config.js';

export interface SourceBaseUrlOptions {
  /** PUBLIC_URL: the https address where this bot's HTTP server is reachable from outside. */
  publicUrl?: string;
  /** The image API's base URL (the simulator's when it runs). */
  apiBaseUrl: string;
}

/**
 * Where the API can fetch `/sources/…` from: PUBLIC_URL, or this machine when the API runs on it
 * (the simulator, a local test API); otherwise nowhere, and private sources are refused.
 */
export function sourceBaseUrl(
  options: SourceBaseUrlOptions,
  port: number,
  /** The address the server is bound to; every interface (or unknown) is reached at 127.0.0.1. */
  boundHost = '',
): string | undefined {
  if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
  if (!apiIsLocal(options.apiBaseUrl)) return undefined;
  const wildcard = boundHost === '' || boundHost === '0.0.0.0' || boundHost === '::';
  const host = wildcard ? '127.0.0.1' : boundHost.includes(':') ? `[${boundHost}]` : boundHost;
  return `http://${host}:${port}`;
}

function apiIsLocal(apiBaseUrl: string): boolean {
  try {
    return isLoopbackHost(new URL(apiBaseUrl).hostname);
  } catch {
    return false;
  }
}
