import { translate } from '../i18n/index.js';
import { UserError } from './errors.js';
import {
  ASPECT_RATIOS,
  OUTPUT_FORMATS,
  QUALITIES,
  RESOLUTIONS,
  validateGenerationInput,
  type RawGenerationInput,
  type ValidatedInput,
} from './options.js';

type ValueField = 'aspectRatio' | 'resolution' | 'quality' | 'outputFormat';

interface FlagSpec {
  field: ValueField | 'private' | 'image';
  valid: readonly string[];
}

/** What typed text asks for: the prompt, its options, and any images to start from. */
export interface ParsedGenerationText extends ValidatedInput {
  /** Each `--image <url>`, in the order typed; absent when there is none. */
  images?: string[];
}

const FLAGS: Record<string, FlagSpec> = {
  '--ar': { field: 'aspectRatio', valid: ASPECT_RATIOS },
  '--aspect': { field: 'aspectRatio', valid: ASPECT_RATIOS },
  '--aspect-ratio': { field: 'aspectRatio', valid: ASPECT_RATIOS },
  '--res': { field: 'resolution', valid: RESOLUTIONS },
  '--resolution': { field: 'resolution', valid: RESOLUTIONS },
  '--quality': { field: 'quality', valid: QUALITIES },
  '--format': { field: 'outputFormat', valid: OUTPUT_FORMATS },
  '--output-format': { field: 'outputFormat', valid: OUTPUT_FORMATS },
  '--private': { field: 'private', valid: ['true', 'false'] },
  // Repeatable: each one more image to start from, in order (checked when the generation starts).
  '--image': { field: 'image', valid: [translate('en', 'option.image_link')] },
};

/** The flags shown to users when they mistype one: the image's options. */
export const DOCUMENTED_FLAGS = ['--ar', '--res', '--quality', '--format', '--private'] as const;

/** Every flag help lists: the options, then the images to start from. */
export const TEXT_FLAGS = [...DOCUMENTED_FLAGS, '--image'] as const;

/**
 * Phones and macOS turn `--` into an em dash (—) or an en dash (–) as you type; `—ar` and `–ar`
 * both mean `--ar`, and so does `—-ar` when only the first pair was replaced.
 */
function normalizeDashes(token: string): string {
  return token.replace(/^(?:\u2014-?|\u2013-?|\u2212-)/, '--');
}

function isFlag(token: string): boolean {
  return /^--[a-z]/i.test(normalizeDashes(token));
}

/**
 * Parses the text form used by Slack and the terminal: `a red fox --ar 16:9 --res=2K --private`,
 * `make it night --image https://…/fox.png` (repeatable).
 * Flags may appear anywhere; everything else is the prompt, with its own spacing and line breaks kept.
 */
export function parseGenerationText(text: string): ParsedGenerationText {
  const tokens = [...text.matchAll(/\S+/g)].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
  const raw: Omit<RawGenerationInput, 'prompt'> = {};
  const removed: Array<[number, number]> = [];
  const images: string[] = [];

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (!isFlag(token.text)) continue;
    const [rawName, inlineValue] = splitOnce(normalizeDashes(token.text), '=');
    const name = rawName.toLowerCase().replace(/_/g, '-');
    const spec = FLAGS[name];
    if (!spec) throw new UserError('unknown_option', { flag: name, known: DOCUMENTED_FLAGS });
    let end = token.end;
    let value = inlineValue;
    if (spec.field === 'private') {
      if (value !== undefined && !['true', 'false', 'yes', 'no'].includes(value)) {
        throw new UserError('invalid_option', {
          option: 'private setting',
          value,
          valid: ['true', 'false'],
        });
      }
      raw.private = value === undefined || value === 'true' || value === 'yes';
    } else {
      if (value === undefined) {
        const next = tokens[index + 1];
        if (!next || isFlag(next.text))
          throw new UserError('missing_option_value', { flag: name, valid: spec.valid });
        value = next.text;
        end = next.end;
        index++;
      }
      if (spec.field === 'image') images.push(linkOf(value));
      else raw[spec.field] = value;
    }
    removed.push([token.start, end]);
  }

  let prompt = '';
  let cursor = 0;
  for (const [start, end] of removed) {
    prompt += text.slice(cursor, start);
    cursor = end;
  }
  prompt += text.slice(cursor);
  // Cutting flags out of the middle leaves doubled spaces at the seams; line breaks are the user's.
  prompt = removed.length > 0 ? prompt.replace(/[ \t]{2,}/g, ' ') : prompt;
  const validated = validateGenerationInput({ ...raw, prompt });
  return images.length > 0 ? { ...validated, images } : validated;
}

/**
 * A link as typed, or as Slack writes one in escaped command text (`<https://…>` or
 * `<https://…|label>`, its `&` as `&amp;`): the URL either way.
 */
function linkOf(value: string): string {
  const escaped = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(value);
  return escaped ? escaped[1]!.replace(/&amp;/g, '&') : value;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
