import { cleanEcho } from '../core/echo.js';
import { describeOptions, type GenerationOptions } from '../core/options.js';
import type { JobView } from '../core/types.js';

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
