import type { SourcePreparer } from '../conversation/context.js';
import type { SourceInput } from '../conversation/interaction.js';
import { refusal, unreachable } from '../conversation/messages.js';
import {
  declaredSourceProblem,
  isSourceType,
  MAX_SOURCE_BYTES,
  MAX_SOURCE_MB,
  sourceName as nameOf,
} from '../conversation/source-rules.js';
import { sniffImageType } from '../core/fetch/image-type.js';
import { ImageDownloadError, type DownloadedImage, type ImageFetcher } from '../core/images.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store.js';
import type { ImageSource } from '../core/types.js';
import { HOSTED_IMAGE_TTL_MS, hostedImages, newHostedId, type HostedImage } from './hosted.js';

export { MAX_SOURCES, MAX_SOURCE_MB } from '../conversation/source-rules.js';

export const NOT_SET_UP_WARNING =
  "PUBLIC_URL is not set, so images uploaded to Slack or the playground cannot be edited; set PUBLIC_URL to the https address where this bot's HTTP_PORT is reachable";

export interface SourceCheckerOptions {
  store: Store;
  fetcher: Pick<ImageFetcher, 'probe' | 'trusts'>;
  /** False when there is no base URL to serve kept images from (no PUBLIC_URL, a remote API). */
  canHost: () => boolean;
  logger: Logger;
}

/**
 * The one place sources are checked (see SourcePreparer): what the platform declared first, so a
 * Discord attachment that is too big or not an image is refused before anything is fetched; then
 * each public URL probed, each private one fetched and kept.
 */
export class SourceChecker implements SourcePreparer {
  private warnedNotSetUp = false;
  private readonly images;

  constructor(private readonly options: SourceCheckerOptions) {
    this.images = hostedImages(options.store);
  }

  async prepare(
    inputs: readonly SourceInput[],
    fetchPrivate?: (source: SourceInput) => Promise<DownloadedImage>,
  ): Promise<ImageSource[]> {
    const declared = declaredSourceProblem(inputs);
    if (declared) throw declared;
    for (const input of inputs) this.checkScheme(input);
    if (inputs.some((input) => input.private) && !this.options.canHost()) {
      if (!this.warnedNotSetUp) this.options.logger.warn(NOT_SET_UP_WARNING);
      this.warnedNotSetUp = true;
      throw refusal('sources_not_set_up');
    }
    return Promise.all(
      inputs.map((input) =>
        input.private ? this.keepPrivate(input, fetchPrivate) : this.checkPublic(input),
      ),
    );
  }

  /** A public source must be a link the API can fetch: https, or http to a host we trust. */
  private checkScheme(input: SourceInput): void {
    const name = nameOf(input);
    if (input.private) return;
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw unreachable(name, 'source.reason.not_a_link');
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.options.fetcher.trusts(url)) return;
    throw refusal('source_not_https', { url: input.url });
  }

  private async checkPublic(input: SourceInput): Promise<ImageSource> {
    const name = nameOf(input);
    try {
      const probed = await this.options.fetcher.probe(input.url, { maxBytes: MAX_SOURCE_BYTES });
      if (!isSourceType(probed.contentType)) throw refusal('source_not_image', { name });
    } catch (error) {
      throw error instanceof ImageDownloadError ? refusalFor(error, name) : error;
    }
    return { url: input.url, name, previewUrl: input.url };
  }

  private async keepPrivate(
    input: SourceInput,
    fetchPrivate: ((source: SourceInput) => Promise<DownloadedImage>) | undefined,
  ): Promise<ImageSource> {
    const name = nameOf(input);
    if (!fetchPrivate) throw unreachable(name, 'source.reason.no_file_access');
    let image: DownloadedImage;
    try {
      image = await fetchPrivate(input);
    } catch (error) {
      throw error instanceof ImageDownloadError ? refusalFor(error, name) : error;
    }
    if (image.bytes.length > MAX_SOURCE_BYTES)
      throw refusal('source_too_large', { name, maxMb: MAX_SOURCE_MB });
    const type = sniffImageType(image.bytes)?.contentType;
    if (type !== 'image/png' && type !== 'image/jpeg' && type !== 'image/webp')
      throw refusal('source_not_image', { name });
    const hostedId = newHostedId(type);
    const kept: HostedImage = { bytes: image.bytes.toString('base64'), contentType: type, name };
    await this.images.set(hostedId, kept, HOSTED_IMAGE_TTL_MS);
    return { hostedId, name };
  }
}

/** What the person sees of a failed probe: the reason in their terms, never an address or port. */
function refusalFor(error: ImageDownloadError, name: string) {
  switch (error.reason) {
    case 'not_image':
      return refusal('source_not_image', { name });
    case 'too_large':
      return refusal('source_too_large', { name, maxMb: MAX_SOURCE_MB });
    case 'http_status': {
      const status = /HTTP (\d+)/.exec(error.message)?.[1];
      return status
        ? unreachable(name, 'source.reason.http_status', { status })
        : unreachable(name, 'source.reason.unreachable');
    }
    case 'forbidden_address':
      return unreachable(name, 'source.reason.not_public');
    case 'timeout':
    case 'too_slow':
      return unreachable(name, 'source.reason.timeout');
    default:
      return unreachable(name, 'source.reason.unreachable');
  }
}
