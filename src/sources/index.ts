/**
 * Image sources of edits: checking them, keeping private ones, and serving those to the API.
 *
 * The bot (src/main.ts): `createEditingSupport(...)` gives the adapters `{sources, drafts}`, the
 * core its `links` (GenerationService option `sourceLinks`), and `serve` to mount with
 * `http.routePrefix(SOURCES_PATH_PREFIX, serve)`.
 *
 * The terminal command (a local file for one run):
 *   const host = await startSourceHost({ store, fetcher, apiKey, apiBaseUrl, publicUrl, logger });
 *   // GenerationService option: sourceLinks: host.links
 *   const sources = await host.sources.prepare([localFileSource(path)], readLocalImage);
 *   // … service.request({ …, sources }) and wait for the result …
 *   await host.close();
 * It listens on `port` (default: any free one) on 127.0.0.1, or on every interface when
 * `publicUrl` is given; without `publicUrl` and with a remote API, prepare refuses a local file
 * (`sources_not_set_up`). The same store as the GenerationService: it serves only jobs in flight.
 */
import { createServer } from 'node:http';
import type { EditingSupport, EditDraft } from '../conversation/context.js';
import type { ImageFetcher } from '../core/images.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store.js';
import type { RouteHandler } from '../http/server.js';
import { sourceBaseUrl } from './base-url.js';
import { SignedSourceLinks } from './links.js';
import { SourceChecker } from './prepare.js';
import { sourceRequestHandler, SOURCES_PATH_PREFIX } from './serve.js';

export { SOURCES_PATH_PREFIX } from './serve.js';
export { sourceBaseUrl } from './base-url.js';
export { localFileSource, readLocalImage } from './local-file.js';
export { MAX_SOURCES, MAX_SOURCE_MB, NOT_SET_UP_WARNING } from './prepare.js';

/** Edits in progress wait this long for the person's pick and prompt. */
export const EDIT_DRAFT_TTL_MS = 15 * 60 * 1000;

export interface EditingSupportOptions {
  store: Store;
  fetcher: Pick<ImageFetcher, 'probe' | 'trusts'>;
  /** Where `/sources/` is reachable by the API (see sourceBaseUrl); undefined: nowhere. */
  baseUrl: () => string | undefined;
  /** The image API key, from which the links' signing key is derived. */
  apiKey: string;
  logger: Logger;
  now?: () => number;
  /** How long a signed link stays valid; shortened by tests of links the API fetches too late. */
  linkLifetimeMs?: number;
}

export interface EditingParts extends EditingSupport {
  /** For the core: signs a kept source's URL when the task is created. */
  links: SignedSourceLinks;
  /** Serves `/sources/…` (mount at SOURCES_PATH_PREFIX). */
  serve: RouteHandler;
}

/** What editing needs at start-up: the source preparer, the drafts, the links and their server. */
export function createEditingSupport(options: EditingSupportOptions): EditingParts {
  const links = new SignedSourceLinks({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    ...(options.now ? { now: options.now } : {}),
    ...(options.linkLifetimeMs !== undefined ? { lifetimeMs: options.linkLifetimeMs } : {}),
  });
  return {
    drafts: options.store.namespace<EditDraft>('drafts'),
    sources: new SourceChecker({
      store: options.store,
      fetcher: options.fetcher,
      canHost: () => links.available,
      logger: options.logger,
    }),
    links,
    serve: sourceRequestHandler(options.store, links),
  };
}

export interface SourceHostOptions extends Omit<EditingSupportOptions, 'baseUrl'> {
  apiBaseUrl: string;
  /** PUBLIC_URL. */
  publicUrl?: string;
  /** Default 0: any free port (the base URL follows it). */
  port?: number;
}

export interface SourceHost extends EditingParts {
  /** The base URL links point to, or undefined when local files cannot be served. */
  baseUrl: string | undefined;
  close(): Promise<void>;
}

/** The `/sources/` server alone, for the terminal command's local files (see the top of this file). */
export async function startSourceHost(options: SourceHostOptions): Promise<SourceHost> {
  let port = options.port ?? 0;
  const baseUrl = () =>
    sourceBaseUrl({ apiBaseUrl: options.apiBaseUrl, publicUrl: options.publicUrl }, port);
  const parts = createEditingSupport({ ...options, baseUrl });
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const handled = path.startsWith(SOURCES_PATH_PREFIX)
      ? parts.serve(request, response)
      : response.writeHead(404).end();
    Promise.resolve(handled).catch((error: unknown) => {
      options.logger.error({ err: error }, 'serving an image source failed');
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.publicUrl ? '0.0.0.0' : '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address === 'object' && address) port = address.port;
  return {
    ...parts,
    baseUrl: baseUrl(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
