import { UserError } from './errors.js';

export const ASPECT_RATIOS = ['auto', '1:1', '4:5', '3:4', '2:3', '16:9', '9:16', '21:9'] as const;
export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export const QUALITIES = ['auto', 'low', 'medium', 'high'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const MAX_PROMPT_LENGTH = 20_000;

export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type Resolution = (typeof RESOLUTIONS)[number];
export type Quality = (typeof QUALITIES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface GenerationOptions {
  /** Omitted means the model's own default. */
  aspectRatio?: AspectRatio;
  resolution: Resolution;
  quality?: Quality;
  outputFormat?: OutputFormat;
  /** Only the requester sees the exchange. */
  private: boolean;
}

export interface RawGenerationInput {
  prompt: string;
  aspectRatio?: string | null;
  resolution?: string | null;
  quality?: string | null;
  outputFormat?: string | null;
  private?: boolean | null;
}

export interface ValidatedInput {
  prompt: string;
  options: GenerationOptions;
}

const VALUE_ALIASES: Record<string, string> = {
  jpg: 'jpeg',
  square: '1:1',
  landscape: '16:9',
  portrait: '9:16',
};

function pick<T extends string>(
  option: string,
  value: string | null | undefined,
  valid: readonly T[],
): T | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const wanted = value.trim().toLowerCase();
  const normalized = VALUE_ALIASES[wanted] ?? wanted;
  const match = valid.find((candidate) => candidate.toLowerCase() === normalized);
  if (!match) throw new UserError('invalid_option', { option, value: value.trim(), valid });
  return match;
}

/** Checks what a user typed before anything is spent or sent; the API would reject the rest. */
export function validateGenerationInput(input: RawGenerationInput): ValidatedInput {
  const prompt = input.prompt.trim();
  if (prompt.length === 0) throw new UserError('prompt_empty');
  // UTF-16 length is never shorter than the code-point count, so this also satisfies an API that counts code points.
  if (prompt.length > MAX_PROMPT_LENGTH) {
    throw new UserError('prompt_too_long', { length: prompt.length, max: MAX_PROMPT_LENGTH });
  }
  const options: GenerationOptions = {
    resolution: pick('resolution', input.resolution, RESOLUTIONS) ?? '1K',
    private: input.private ?? false,
  };
  const aspectRatio = pick('aspect ratio', input.aspectRatio, ASPECT_RATIOS);
  const quality = pick('quality', input.quality, QUALITIES);
  const outputFormat = pick('output format', input.outputFormat, OUTPUT_FORMATS);
  if (aspectRatio) options.aspectRatio = aspectRatio;
  if (quality) options.quality = quality;
  if (outputFormat) options.outputFormat = outputFormat;
  return { prompt, options };
}

/** Short labels for echoing options back to users, e.g. "16:9 · 2K · high · png". */
export function describeOptions(options: GenerationOptions): string {
  return [options.aspectRatio, options.resolution, options.quality, options.outputFormat]
    .filter((part): part is NonNullable<typeof part> => part !== undefined)
    .join(' · ');
}
