import { ImageFetcher } from '../../core/images.js';
import { DeliveryError, type Delivery, type JobRecord, type JobView } from '../../core/types.js';
import type { ImageShelf } from './image-shelf.js';
import { imageUrlFor, jobCard } from './render.js';
import type { ChatRoom, SourceThumbnail } from './room.js';
import { isPlaygroundTarget, targetLocale } from './target.js';
import { supportedLocaleOf, type Locale } from '../../i18n/index.js';

export interface PlaygroundDeliveryOptions {
  room: ChatRoom;
  images: ImageShelf;
  simulated: boolean;
  /** For cards of jobs whose record names no language (made before there were languages). */
  defaultLocale: Locale;
  /** Fetches results (the bot's one fetcher, with its trusted hosts); default: public hosts only. */
  fetcher?: ImageFetcher;
  /** What the card shows of the images a job started from (see thumbnailsOf). */
  thumbnails?: (job: JobRecord, locale: Locale) => SourceThumbnail[];
}

/**
 * Shows a job in the playground: edits its card in place from "Queued" to "Generating… 12 s" to
 * the image (downloaded and served by the playground, as a platform hosts an upload) or the
 * failure. A card lost with the page state (a restart) is simply posted again. Progress pacing
 * and what a failed download means are the conversation layer's (PacedDelivery).
 */
export class PlaygroundDelivery implements Delivery {
  private readonly fetcher: ImageFetcher;

  constructor(private readonly options: PlaygroundDeliveryOptions) {
    this.fetcher = options.fetcher ?? new ImageFetcher();
  }

  async show(job: JobRecord, view: JobView): Promise<void> {
    const target = job.target;
    if (!isPlaygroundTarget(target))
      throw new DeliveryError('PERMANENT', 'not a playground delivery target');
    if (view.kind === 'done') {
      const url = view.imageUrls[0];
      if (!url) throw new DeliveryError('PERMANENT', 'the finished task has no image URL');
      await this.options.images.fetchOnce(job.requestId, url, this.fetcher);
    }
    const locale = targetLocale(
      target,
      supportedLocaleOf(job.locale) ?? this.options.defaultLocale,
    );
    this.options.room.upsert({
      id: target.messageId,
      channelId: target.channelId,
      ...(target.private ? { visibleTo: target.userId } : {}),
      body: jobCard(job, view, {
        simulated: this.options.simulated,
        locale,
        channelId: target.channelId,
        sources: this.options.thumbnails?.(job, locale) ?? [],
        ...(view.kind === 'done' ? { imageUrl: imageUrlFor(job.requestId) } : {}),
      }),
    });
  }
}
