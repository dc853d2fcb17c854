import { cleanEcho } from '../../core/echo.js';
import type { JobRecord, JobView } from '../../core/types.js';
import { translate, translator, type Locale, type Translator } from '../../i18n/index.js';
import { failureText } from '../../core/messages.js';
import { madeFromText as lineage, mayUpscale, optionsLine, truncate } from '../view-text.js';
import { PLAYGROUND_CHANNELS } from './people.js';
import type { CardAction, JobCard, SourceThumbnail } from './room.js';

/** What a card needs of a job; a request not yet accepted by core has these too. */
export type JobSummary = Pick<
  JobRecord,
  'requestId' | 'prompt' | 'options' | 'user' | 'createdAt' | 'sources' | 'derivedFrom'
>;

export interface CardContext {
  simulated: boolean;
  /** The requester's language: the card's words are theirs, whoever else reads it. */
  locale: Locale;
  /** The channel the card is in: Share offers the others. */
  channelId: string;
  /** Served by the playground itself once the image has been downloaded. */
  imageUrl?: string;
  sharedBy?: string;
  /** The images it started from, as the playground can show them (see thumbnailsOf). */
  sources?: SourceThumbnail[];
}

export const IMAGE_ROUTE = 'api/image';

export function imageUrlFor(requestId: string): string {
  return `${IMAGE_ROUTE}?id=${encodeURIComponent(requestId)}`;
}

/** Screen readers read the prompt, which is what the picture was meant to show. */
export function altText(prompt: string, simulated: boolean, t: Translator): string {
  return t(simulated ? 'playground.card.altSimulated' : 'playground.card.altReal', {
    prompt: truncate(prompt, 400),
  });
}

/** "23 s", "1 min 05 s" in the reader's language; the page ticks the same words. */
export function elapsedText(ms: number, t: Translator): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('playground.page.elapsedSeconds', { seconds: String(seconds) });
  return t('playground.page.elapsedMinutes', {
    minutes: String(Math.floor(seconds / 60)),
    seconds: String(seconds % 60).padStart(2, '0'),
  });
}

/** Where a job stands, in the requester's language; a failure says the core's message. */
function statusText(view: JobView, t: Translator, locale: Locale): string {
  switch (view.kind) {
    case 'queued':
      return view.position
        ? t('playground.card.queuedAt', { position: view.position })
        : t('playground.card.queued');
    case 'generating':
      return view.elapsedMs > 0
        ? t('playground.page.generating', { elapsed: elapsedText(view.elapsedMs, t) })
        : t('playground.card.generatingNow');
    case 'done':
      return t('playground.card.done', { elapsed: elapsedText(view.elapsedMs, t) });
    case 'failed':
      // The API's failMsg stays as the API gave it, inside the sentence.
      return failureText(view, locale);
  }
}

/** A prompt echoed inside a sentence: cleaned, cut, and quoted the language's way. */
export function quotedPrompt(prompt: string, locale: Locale): string {
  const text = truncate(cleanEcho(prompt), 80);
  return translate(locale, 'quote.prompt', { text });
}

/**
 * What a generation was made from, in one line, or undefined for a plain text-to-image one:
 * `Edited from “a red fox”`, `Variation of …`, `Upscaled to 2K from …`, `From cat.png, dog.jpg`.
 */
export function madeFromText(
  job: Pick<JobRecord, 'sources' | 'derivedFrom' | 'options'>,
  locale: Locale,
): string | undefined {
  return lineage(job, locale, {
    prompt: (prompt) => quotedPrompt(prompt, locale),
    name: (name) => name,
  });
}

function shareActions(channelId: string, t: Translator): CardAction[] {
  return PLAYGROUND_CHANNELS.filter((channel) => channel.id !== channelId).map((channel) => ({
    action: 'share',
    label: t('playground.card.shareTo', { channel: channel.name }),
    channelId: channel.id,
  }));
}

/** Edit, Vary and Upscale, in the order every platform shows them; no Upscale at 4K. */
function editActions(job: JobSummary, t: Translator): CardAction[] {
  return [
    { action: 'edit', label: t('playground.card.edit') },
    { action: 'vary', label: t('playground.card.vary') },
    ...(mayUpscale(job)
      ? [{ action: 'upscale' as const, label: t('playground.card.upscale') }]
      : []),
  ];
}

export function jobCard(job: JobSummary, view: JobView, context: CardContext): JobCard {
  const t = translator(context.locale);
  const card: JobCard = {
    type: 'job',
    requestId: job.requestId,
    state: view.kind,
    status: statusText(view, t, context.locale),
    // Shown as text by the page; cleaned like every echo so nothing hidden reorders it.
    prompt: cleanEcho(job.prompt),
    options: optionsLine(job.options),
    requestedBy: job.user.displayName,
    since: job.createdAt,
    simulated: context.simulated,
    actions: [],
  };
  if (context.sharedBy) card.sharedBy = context.sharedBy;
  const madeFrom = madeFromText(job, context.locale);
  if (madeFrom) card.madeFrom = madeFrom;
  if (context.sources?.length) card.sources = context.sources;
  if (view.kind === 'done') {
    if (context.imageUrl)
      card.image = {
        url: context.imageUrl,
        alt: altText(cleanEcho(job.prompt), context.simulated, t),
      };
    // A shared copy is a showcase: its buttons stay Reroll and Delete; the original has the rest.
    card.actions = [
      { action: 'reroll', label: t('playground.card.reroll') },
      ...(context.sharedBy ? [] : editActions(job, t)),
      ...(context.sharedBy ? [] : shareActions(context.channelId, t)),
      { action: 'delete', label: t('playground.card.delete') },
    ];
  } else if (view.kind === 'failed') {
    card.actions = [
      { action: 'retry', label: t('playground.card.tryAgain') },
      { action: 'delete', label: t('playground.card.delete') },
    ];
  }
  return card;
}

/** The badge at the top of the page, so nobody mistakes placeholders for real images. */
export function backendLabel(simulated: boolean, locale: Locale): string {
  return translator(locale)(
    simulated ? 'playground.page.backend.simulated' : 'playground.page.backend.real',
  );
}
