import { describeOptions, type GenerationOptions } from '../core/options.js';
import type { JobRecord, JobView } from '../core/types.js';
import { translate, type Locale } from '../i18n/index.js';

/** Cuts text to a limit on a code-point boundary, marking the cut, so emoji never split in half. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * The options as typed ("16:9 · 2K · high · png"): the API's own values, the same in every
 * language, as people type them after `--ar`, `--res`, `--quality` and `--format`.
 */
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

/** "23 s", "1 min 05 s" in the reader's language: a stopwatch read at a glance while waiting. */
export function elapsedText(ms: number, locale: Locale): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return translate(locale, 'elapsed.seconds', { seconds });
  return translate(locale, 'elapsed.minutes', {
    minutes: Math.floor(seconds / 60),
    seconds: String(seconds % 60).padStart(2, '0'),
  });
}

/** Where a job stands while it waits: queued (at a position) or generating (for a while). */
export function waitingText(view: JobView, locale: Locale): string {
  if (view.kind === 'queued')
    return view.position
      ? translate(locale, 'status.queuedAt', { position: view.position })
      : translate(locale, 'status.queued');
  if (view.kind === 'generating' && view.elapsedMs > 0)
    return translate(locale, 'status.generatingFor', {
      elapsed: elapsedText(view.elapsedMs, locale),
    });
  return translate(locale, 'status.generating');
}

/** How a platform shows outside text inside its own markup: the prompt quoted, file names escaped. */
export interface ShownText {
  prompt: (prompt: string) => string;
  name: (name: string) => string;
}

/**
 * What a result was made from, in one line, or undefined for a plain text-to-image job:
 * "Edited from “a red fox”", "Variation of …", "Upscaled to 2K from …", "From cat.png, dog.jpg".
 */
export function madeFromText(
  job: Pick<JobRecord, 'sources' | 'derivedFrom' | 'options'>,
  locale: Locale,
  shown: ShownText,
): string | undefined {
  const from = job.derivedFrom;
  if (from) {
    const prompt = shown.prompt(from.parentPrompt);
    if (from.kind === 'edit') return translate(locale, 'lineage.editedFrom', { prompt });
    if (from.kind === 'vary') return translate(locale, 'lineage.variationOf', { prompt });
    return translate(locale, 'lineage.upscaledFrom', {
      prompt,
      resolution: job.options.resolution,
    });
  }
  if (!job.sources?.length) return undefined;
  const names = job.sources
    .map((source) => shown.name(source.name))
    .join(translate(locale, 'list.separator'));
  return translate(locale, 'lineage.from', { names });
}
