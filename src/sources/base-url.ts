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
export function sourceBaseUrl(options: SourceBaseUrlOptions, port: number): string | undefined {
  if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
  return apiIsLocal(options.apiBaseUrl) ? `http://127.0.0.1:${port}` : undefined;
}

function apiIsLocal(apiBaseUrl: string): boolean {
  try {
    return isLoopbackHost(new URL(apiBaseUrl).hostname);
  } catch {
    return false;
  }
}
