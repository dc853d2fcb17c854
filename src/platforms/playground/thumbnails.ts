import type { JobSummary } from './render.js';
import { imageUrlFor } from './render.js';
import type { SourceThumbnail } from './room.js';
import type { PlaygroundContext } from './context.js';
import { translate, type Locale } from '../../i18n/index.js';
import { uploadUrlFor } from './uploads.js';

/**
 * What a card shows of the images a job started from: the parent result (Edit, Vary, Upscale)
 * or the uploads, as long as the playground still keeps them; a public source as a link (the page
 * loads no image from elsewhere).
 */
export function thumbnailsOf(
  job: JobSummary,
  context: Pick<PlaygroundContext, 'images' | 'uploads' | 'sentUploads'>,
  locale: Locale,
): SourceThumbnail[] {
  const parent = job.derivedFrom?.parentId;
  if (parent)
    return context.images.has(parent)
      ? [
          {
            name: translate(locale, 'playground.card.originalImage'),
            url: imageUrlFor(parent),
            local: true,
          },
        ]
      : [];
  const uploads = context.sentUploads.get(job.requestId) ?? [];
  return (job.sources ?? []).flatMap((source, index): SourceThumbnail[] => {
    const upload = uploads[index];
    if (source.hostedId && upload && context.uploads.get(upload))
      return [{ name: source.name, url: uploadUrlFor(upload), local: true }];
    if (source.previewUrl) return [{ name: source.name, url: source.previewUrl, local: false }];
    return [];
  });
}
