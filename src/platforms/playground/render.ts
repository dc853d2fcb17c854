import { cleanEcho } from '../../core/echo.js';
import type { JobRecord, JobView } from '../../core/types.js';
import {
  formatElapsed,
  madeFromLine,
  mayUpscale,
  optionsLine,
  RESULT_ACTIONS,
  statusLine,
  truncate,
} from '../view-text.js';
import { PLAYGROUND_CHANNELS } from './people.js';
import type { CardAction, JobCard, SourceThumbnail } from './room.js';

/** What a card needs of a job; a request not yet accepted by core has these too. */
export type JobSummary = Pick<
  JobRecord,
  'requestId' | 'prompt' | 'options' | 'user' | 'createdAt' | 'sources' | 'derivedFrom'
>;

export interface CardContext {
  simulated: boolean;
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
export function altText(prompt: string, simulated: boolean): string {
  const what = simulated ? 'Simulated placeholder image' : 'Generated image';
  return `${what} for the prompt: ${truncate(prompt, 400)}`;
}

function shareActions(channelId: string): CardAction[] {
  return PLAYGROUND_CHANNELS.filter((channel) => channel.id !== channelId).map((channel) => ({
    action: 'share',
    label: `Share to #${channel.name}`,
    channelId: channel.id,
  }));
}

/** Edit, Vary and Upscale, in the order every platform shows them; no Upscale at 4K. */
function editActions(job: JobSummary): CardAction[] {
  return [
    { action: 'edit', label: RESULT_ACTIONS.edit },
    { action: 'vary', label: RESULT_ACTIONS.vary },
    ...(mayUpscale(job) ? [{ action: 'upscale' as const, label: RESULT_ACTIONS.upscale }] : []),
  ];
}

export function jobCard(job: JobSummary, view: JobView, context: CardContext): JobCard {
  const card: JobCard = {
    type: 'job',
    requestId: job.requestId,
    state: view.kind,
    status: statusLine(view),
    // Shown as text by the page; cleaned like every echo so nothing hidden reorders it.
    prompt: cleanEcho(job.prompt),
    options: optionsLine(job.options),
    requestedBy: job.user.displayName,
    since: job.createdAt,
    simulated: context.simulated,
    actions: [],
  };
  if (context.sharedBy) card.sharedBy = context.sharedBy;
  const madeFrom = madeFromLine(job);
  if (madeFrom) card.madeFrom = madeFrom;
  if (context.sources?.length) card.sources = context.sources;
  if (view.kind === 'done') {
    card.status = `Done in ${formatElapsed(view.elapsedMs)}`;
    if (context.imageUrl)
      card.image = {
        url: context.imageUrl,
        alt: altText(cleanEcho(job.prompt), context.simulated),
      };
    // A shared copy is a showcase: its buttons stay Reroll and Delete; the original has the rest.
    card.actions = [
      { action: 'reroll', label: RESULT_ACTIONS.reroll },
      ...(context.sharedBy ? [] : editActions(job)),
      ...(context.sharedBy ? [] : shareActions(context.channelId)),
      { action: 'delete', label: RESULT_ACTIONS.delete },
    ];
  } else if (view.kind === 'failed') {
    card.actions = [
      { action: 'retry', label: 'Try again' },
      { action: 'delete', label: 'Delete' },
    ];
  }
  return card;
}

/** The badge at the top of the page, so nobody mistakes placeholders for real images. */
export function backendLabel(simulated: boolean): string {
  return simulated
    ? 'Simulated image API: images are placeholders made on this machine'
    : 'Real image API: generations use your API credits';
}
