import type {
  APIAttachment,
  APIChatInputApplicationCommandInteraction,
  APIMessage,
} from 'discord.js';
import type { SourceInput } from '../../conversation/interaction.js';
import { optionValue } from './payload.js';

/** `/imagine`'s attachment options, in the order their images are given to the API. */
export const SOURCE_OPTION_NAMES = ['image', 'image2', 'image3'] as const;

/** An attachment as Discord describes it: its public CDN URL, name, declared type and size. */
function sourceOf(attachment: APIAttachment): SourceInput {
  return {
    url: attachment.url,
    name: attachment.filename,
    ...(attachment.content_type ? { contentType: attachment.content_type } : {}),
    size: attachment.size,
  };
}

/** The images attached to `/imagine`, found in `resolved.attachments` by each option's id. */
export function attachedSources(payload: APIChatInputApplicationCommandInteraction): SourceInput[] {
  const resolved = payload.data.resolved?.attachments ?? {};
  const sources: SourceInput[] = [];
  for (const name of SOURCE_OPTION_NAMES) {
    const id = optionValue(payload.data.options, name);
    const attachment = typeof id === 'string' ? resolved[id] : undefined;
    if (attachment) sources.push(sourceOf(attachment));
  }
  return sources;
}

/** The last part of a URL's path, as a name people recognise. */
function nameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'image';
  } catch {
    return 'image';
  }
}

/**
 * Every file on a message, images or not (the conversation picks the images). A message with no
 * attachments may still show images in its embeds (a link someone posted): those are offered then.
 */
export function filesOfMessage(message: APIMessage): SourceInput[] {
  if (message.attachments.length > 0) return message.attachments.map(sourceOf);
  return message.embeds.flatMap((embed) => {
    const url = embed.image?.url ?? embed.thumbnail?.url;
    return url && /^https?:\/\//.test(url) ? [{ url, name: nameOf(url) }] : [];
  });
}
