import type { ImageSource } from './types.js';

/**
 * Makes the URL the API fetches for a source the bot keeps itself (`hostedId`): signed for this
 * job, expiring within the hour. Asked when the task is created, so a job that waited in line or
 * was resumed after a restart still hands the API a fresh link.
 */
export interface SourceLinks {
  urlFor(hostedId: string, requestId: string): string;
}

/** The most sources one generation may start from (the conversation refuses more, politely). */
export const MAX_SOURCES = 3;

/**
 * A request's sources as the core accepts them: 1 to MAX_SOURCES, each with a URL or a hosted id.
 * The conversation's preparer refuses anything else with a message first, so this failing is a bug.
 */
export function checkSources(sources: readonly ImageSource[]): void {
  if (sources.length === 0 || sources.length > MAX_SOURCES)
    throw new Error(`a generation starts from 1 to ${MAX_SOURCES} sources, not ${sources.length}`);
  for (const source of sources)
    if (!source.url && !source.hostedId)
      throw new Error(`source "${source.name}" has neither a URL nor a hosted id`);
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
