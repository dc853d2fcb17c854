import { isPlainObject } from './responses.js';
import { ASPECT_RATIOS, RESOLUTIONS, type AspectRatio, type Resolution } from './png.js';
import { isFetchableSourceUrl } from './source-fetch.js';

export const IMAGE_MODEL_ID = 'gpt-image-2-text-to-image';
export const IMAGE_TO_IMAGE_MODEL_ID = 'gpt-image-2-image-to-image';
/** The API names no cap; a sane one keeps one request from making the simulator fetch thousands. */
export const MAX_SOURCE_URLS = 16;
/** The names the API's pages give the source list; the first one present is used. */
const SOURCE_FIELDS = ['image_urls', 'input_urls', 'image_input'] as const;
export const MAX_PROMPT_CHARS = 20_000;

export interface TaskInput {
  prompt: string;
  aspect_ratio?: AspectRatio;
  resolution?: Resolution;
  quality?: string;
  output_format?: string;
  readonly [passThrough: string]: unknown;
}

export type CreateValidation =
  { ok: true; model: string; input: TaskInput; sourceUrls: string[] } | { ok: false; msg: string };

/**
 * Checks a createTask body as the API documents it, in the API's own words. `localHosts`: names
 * of this machine besides loopback whose plain-http sources are fetched (see isFetchableSourceUrl).
 */
export function validateCreateBody(
  body: unknown,
  localHosts: readonly string[] = [],
): CreateValidation {
  if (!isPlainObject(body)) return { ok: false, msg: 'Request body must be a JSON object' };
  if (body.model === undefined || body.model === null || body.model === '') {
    return { ok: false, msg: 'model is required' };
  }
  if (typeof body.model !== 'string') return { ok: false, msg: 'model must be a string' };
  if (body.model !== IMAGE_MODEL_ID && body.model !== IMAGE_TO_IMAGE_MODEL_ID) {
    return {
      ok: false,
      msg: `Unsupported model: ${body.model}. Use ${IMAGE_MODEL_ID} or ${IMAGE_TO_IMAGE_MODEL_ID}`,
    };
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
  const taskInput = input as TaskInput;
  if (body.model === IMAGE_MODEL_ID)
    return { ok: true, model: body.model, input: taskInput, sourceUrls: [] };
  const sources = validateSourceLists(input, localHosts);
  if (!sources.ok) return sources;
  return { ok: true, model: body.model, input: taskInput, sourceUrls: sources.urls };
}

/** Every source list given must hold 1 to 16 URLs the API can fetch; the first one is used. */
function validateSourceLists(
  input: Record<string, unknown>,
  localHosts: readonly string[],
): { ok: true; urls: string[] } | { ok: false; msg: string } {
  let used: string[] | undefined;
  for (const field of SOURCE_FIELDS) {
    const list = input[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return { ok: false, msg: `input.${field} must be an array of URLs` };
    if (list.length === 0) return { ok: false, msg: `input.${field} must not be empty` };
    if (list.length > MAX_SOURCE_URLS)
      return { ok: false, msg: `input.${field} must have at most ${MAX_SOURCE_URLS} URLs` };
    for (const [index, item] of list.entries()) {
      const problem = sourceUrlProblem(item, localHosts);
      if (problem) return { ok: false, msg: `input.${field}[${index}] ${problem}` };
    }
    used ??= list as string[];
  }
  if (!used) return { ok: false, msg: 'input.image_urls is required' };
  return { ok: true, urls: used };
}

function sourceUrlProblem(item: unknown, localHosts: readonly string[]): string | undefined {
  if (typeof item !== 'string') return 'must be a string';
  const text = item.trim();
  if (/^data:/i.test(text) || looksLikeBase64(text))
    return 'must be a URL: base64 data and data: URLs are not supported';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a valid URL';
  }
  if (!isFetchableSourceUrl(url, localHosts)) return 'must be a publicly reachable https:// URL';
  return undefined;
}

function looksLikeBase64(text: string): boolean {
  return text.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(text);
}

function countCharacters(text: string): number {
  // Counting code points only matters when surrogate pairs could push the UTF-16 length over the limit.
  return text.length <= MAX_PROMPT_CHARS ? text.length : Array.from(text).length;
}
