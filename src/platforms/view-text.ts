import { describeOptions, type GenerationOptions } from '../core/options.js';
import type { JobRecord } from '../core/types.js';

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
