import { httpListenHost, isLoopbackHost, type StartupConfig } from '../../config.js';

/** Kept apart from the adapter so the composition root can name the page without loading it. */
export const PLAYGROUND_PLATFORM = 'playground';
export const PLAYGROUND_PATH = '/playground/';

/**
 * The address printed at start. Listening beyond this machine, it carries PLAYGROUND_TOKEN, which
 * the page trades for a session cookie at once (and takes out of the address bar).
 */
export function playgroundPageUrl(port: number, config: StartupConfig): string {
  const page = `http://localhost:${port}${PLAYGROUND_PATH}`;
  const token = isLoopbackHost(httpListenHost(config)) ? undefined : config.PLAYGROUND_TOKEN;
  return token ? `${page}?token=${encodeURIComponent(token)}` : page;
}
