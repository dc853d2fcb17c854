import { isPlainObject } from './responses.js';
import { ASPECT_RATIOS, RESOLUTIONS, type AspectRatio, type Resolution } from './png.js';

export const IMAGE_MODEL_ID = 'gpt-image-2-text-to-image';
export const MAX_PROMPT_CHARS = 20_000;

export interface TaskInput {
  prompt: string;
  aspect_ratio?: AspectRatio;
  resolution?: Resolution;
  quality?: string;
  output_format?: string;
  readonly [passThrough: string]: unknown;
}

export type CreateValidation = { ok: true; input: TaskInput } | { ok: false; msg: string };

/** Checks a createTask body as the API documents it, in the API's own words. */
export function validateCreateBody(body: unknown): CreateValidation {
  if (!isPlainObject(body)) return { ok: false, msg: 'Request body must be a JSON object' };
  if (body.model === undefined || body.model === null || body.model === '') {
    return { ok: false, msg: 'model is required' };
  }
  if (typeof body.model !== 'string') return { ok: false, msg: 'model must be a string' };
  if (body.model !== IMAGE_MODEL_ID) {
    return { ok: false, msg: `Unsupported model: ${body.model}. Use ${IMAGE_MODEL_ID}` };
  }
  const input = body.input;
  if (input === undefined || input === null) return { ok: false, msg: 'input is required' };
  if (!isPlainObject(input)) return { ok: false, msg: 'input must be an object' };
  const {
    prompt,
    aspect_ratio: aspectRatio,
    resolution,
    quality,
    output_format: outputFormat,
  } = input;
  if (prompt === undefined || prompt === null)
    return { ok: false, msg: 'input.prompt is required' };
  if (typeof prompt !== 'string') return { ok: false, msg: 'input.prompt must be a string' };
  if (prompt.trim() === '') return { ok: false, msg: 'input.prompt must not be empty' };
  if (countCharacters(prompt) > MAX_PROMPT_CHARS) {
    return { ok: false, msg: `input.prompt must be at most ${MAX_PROMPT_CHARS} characters` };
  }
  if (aspectRatio !== undefined && !(ASPECT_RATIOS as readonly unknown[]).includes(aspectRatio)) {
    return { ok: false, msg: `input.aspect_ratio must be one of: ${ASPECT_RATIOS.join(', ')}` };
  }
  if (resolution !== undefined && !(RESOLUTIONS as readonly unknown[]).includes(resolution)) {
    return { ok: false, msg: `input.resolution must be one of: ${RESOLUTIONS.join(', ')}` };
  }
  if (quality !== undefined && typeof quality !== 'string')
    return { ok: false, msg: 'input.quality must be a string' };
  if (outputFormat !== undefined && typeof outputFormat !== 'string') {
    return { ok: false, msg: 'input.output_format must be a string' };
  }
  return { ok: true, input: input as TaskInput };
}

function countCharacters(text: string): number {
  // Counting code points only matters when surrogate pairs could push the UTF-16 length over the limit.
  return text.length <= MAX_PROMPT_CHARS ? text.length : Array.from(text).length;
}
