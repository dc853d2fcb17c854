import { resolve } from 'node:path';
import type { Config } from '../config.js';
import type { SourceInput } from '../conversation/interaction.js';
import { isUserError } from '../core/errors.js';
import { renderMessage } from '../core/messages.js';
import type { Locale, Translator } from '../i18n/index.js';
import type { ImageFetcher } from '../core/images.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store.js';
import type { ImageSource } from '../core/types.js';
import {
  localFileSource,
  readLocalImage,
  startSourceHost,
  type SourceHost,
} from '../sources/index.js';
import { EXIT_CODES, type OperatorVerdict } from './operator-messages.js';

/** A link is sent as it is (the API fetches it); anything else is a file on this machine. */
function isLink(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

function nameOfLink(value: string): string {
  try {
    const last = new URL(value).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : value;
  } catch {
    return value;
  }
}

/** `--image` values as sources: links as they are, files read from this machine and served. */
export function sourceInputsOf(images: readonly string[]): SourceInput[] {
  return images.map((image) =>
    isLink(image) ? { url: image, name: nameOfLink(image) } : localFileSource(resolve(image)),
  );
}

export interface PreparedImages {
  sources: ImageSource[];
  /** Serves the local files to the API while the task runs; give the service its `links`. */
  host: SourceHost;
}

/**
 * Checks the images (at most three; PNG, JPEG or WEBP; at most 30 MB; links answering with an
 * image) before anything is sent, and starts serving the local ones: on 127.0.0.1 when the API is
 * on this machine, else at PUBLIC_URL on HTTP_PORT. Gives the operator's verdict when refused.
 */
export async function prepareImages(
  images: readonly string[],
  parts: {
    config: Config;
    store: Store;
    fetcher: ImageFetcher;
    logger: Logger;
    t: Translator;
    locale: Locale;
  },
): Promise<PreparedImages | OperatorVerdict> {
  const { config } = parts;
  const host = await startSourceHost({
    store: parts.store,
    fetcher: parts.fetcher,
    apiKey: config.AIGPTIMAGE_API_KEY,
    apiBaseUrl: config.AIGPTIMAGE_BASE_URL,
    logger: parts.logger,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL, port: config.HTTP_PORT } : {}),
  });
  try {
    return { sources: await host.sources.prepare(sourceInputsOf(images), readLocalImage), host };
  } catch (error) {
    await host.close();
    if (!isUserError(error)) throw error;
    const { t } = parts;
    return {
      exitCode: EXIT_CODES.usage,
      line:
        error.code === 'sources_not_set_up'
          ? t('cli.sourcesNotSetUp', { port: String(config.HTTP_PORT) })
          : t('cli.sourceRefused', {
              reason: renderMessage(error.code, error.params, parts.locale),
            }),
    };
  }
}
