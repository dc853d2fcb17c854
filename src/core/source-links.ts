import type { ImageSource } from './types.js';

/**
 * Makes the URL the API fetches for a source the bot keeps itself (`hostedId`): signed for this
 * job, expiring within the hour. Asked when the task is created, so a job that waited in line or
 * was resumed after a restart still hands the API a fresh link.
 */
export interface SourceLinks {
  urlFor(hostedId: string, requestId: string): string;
}

/** The URLs to send as `image_urls`/`input_urls`, in the job's order. */
export function sourceUrlsOf(
  sources: readonly ImageSource[],
  requestId: string,
  links: SourceLinks | undefined,
): string[] {
  return sources.map((source) => {
    if (source.url) return source.url;
    if (!source.hostedId || !links) throw new Error(`source "${source.name}" has no URL to send`);
    return links.urlFor(source.hostedId, requestId);
  });
}
