import { cleanEcho } from '../core/echo.js';
import { describeOptions, type GenerationOptions } from '../core/options.js';
import type { JobRecord, JobView } from '../core/types.js';

/** "23 s", "1 min 05 s": what a person reads at a glance while waiting. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Cuts text to a limit on a code-point boundary, marking the cut, so emoji never split in half. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** One line saying where a job stands, shared by every platform's status message. */
export function statusLine(view: JobView): string {
  switch (view.kind) {
    case 'queued':
      return view.position ? `Queued: position ${view.position} in line` : 'Queued…';
    case 'generating':
      return view.elapsedMs > 0 ? `Generating… ${formatElapsed(view.elapsedMs)}` : 'Generating…';
    case 'done':
      return `Done in ${formatElapsed(view.elapsedMs)}`;
    case 'failed':
      // The API's own words are inside (failMsg): cleaned even if the record predates cleaning.
      return cleanEcho(view.message);
  }
}

export function optionsLine(options: GenerationOptions): string {
  return describeOptions(options);
}

/** The result buttons every platform shows under a finished image, in this order, with these labels. */
export const RESULT_ACTIONS = {
  reroll: 'Reroll',
  edit: 'Edit',
  vary: 'Vary',
  upscale: 'Upscale',
  share: 'Share',
  delete: 'Delete',
} as const;

/** Upscale is offered until the largest resolution. */
export function mayUpscale(job: Pick<JobRecord, 'options'>): boolean {
  return job.options.resolution !== '4K';
}

/**
 * What a generation was made from, in one line, or undefined for a plain text-to-image one:
 * `Edited from “a red fox”`, `Variation of “a red fox”`, `Upscaled to 2K from “a red fox”`,
 * `From cat.png, dog.jpg`. `quote` wraps an echoed prompt the platform's way (escaped, cut).
 */
export function madeFromLine(
  job: Pick<JobRecord, 'sources' | 'derivedFrom' | 'options'>,
  quote: (prompt: string) => string = (prompt) => `“${truncate(cleanEcho(prompt), 80)}”`,
): string | undefined {
  const from = job.derivedFrom;
  if (from) {
    const parent = quote(from.parentPrompt);
    if (from.kind === 'edit') return `Edited from ${parent}`;
    if (from.kind === 'vary') return `Variation of ${parent}`;
    return `Upscaled to ${job.options.resolution} from ${parent}`;
  }
  if (job.sources?.length) return `From ${job.sources.map((source) => source.name).join(', ')}`;
  return undefined;
}
