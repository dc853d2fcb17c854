import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { parseGenerationText } from '../src/core/option-text.js';
import { validateGenerationInput } from '../src/core/options.js';

function errorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error as UserError;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseGenerationText', () => {
  it('reads the prompt and every option from the text form', () => {
    expect(
      parseGenerationText('a red fox --ar 16:9 --res 2K --quality high --format jpeg --private'),
    ).toEqual({
      prompt: 'a red fox',
      options: {
        aspectRatio: '16:9',
        resolution: '2K',
        quality: 'high',
        outputFormat: 'jpeg',
        private: true,
      },
    });
  });

  it('defaults to 1K, public, and the model defaults for the rest', () => {
    expect(parseGenerationText('a red fox')).toEqual({
      prompt: 'a red fox',
      options: { resolution: '1K', private: false },
    });
  });

  it.each([
    ['long names', 'a fox --aspect-ratio 9:16 --resolution 4K --output-format webp'],
    ['equals signs', 'a fox --ar=9:16 --res=4K --format=webp'],
    ['underscores', 'a fox --aspect_ratio 9:16 --resolution 4K --output_format webp'],
    ['em dashes from phones', 'a fox —ar 9:16 —res 4K —format webp'],
    ['en dashes from macOS', 'a fox –ar 9:16 –res 4K –format webp'],
    ['an em dash plus a hyphen', 'a fox —-ar 9:16 —-res 4K —-format webp'],
    ['any letter case', 'a fox --AR 9:16 --Res 4k --FORMAT WEBP'],
    ['flags before the prompt', '--ar 9:16 --res 4K --format webp a fox'],
    ['jpg-style aliases where they exist', 'a fox --ar portrait --res 4K --format webp'],
  ])('accepts %s', (_name, text) => {
    expect(parseGenerationText(text)).toEqual({
      prompt: 'a fox',
      options: { aspectRatio: '9:16', resolution: '4K', outputFormat: 'webp', private: false },
    });
  });

  it('keeps the prompt text as typed: inner spacing, line breaks, quotes and dashes that are not flags', () => {
    const text = 'line one\nline two -- with a "quote" and a well-known x—y --res 2K';
    expect(parseGenerationText(text).prompt).toBe(
      'line one\nline two -- with a "quote" and a well-known x—y',
    );
  });

  it('treats jpg as jpeg and --private=false as public', () => {
    expect(parseGenerationText('a fox --format jpg --private=false').options).toEqual({
      resolution: '1K',
      outputFormat: 'jpeg',
      private: false,
    });
  });

  it('names an unknown flag and lists the ones that exist', () => {
    const error = errorOf(() => parseGenerationText('a fox --size big'));
    expect(error.code).toBe('unknown_option');
    expect(error.message).toBe(
      'Unknown option --size. Options you can use: --ar, --res, --quality, --format, --private.',
    );
  });

  it('says which values are valid when a value is wrong', () => {
    const error = errorOf(() => parseGenerationText('a fox --ar 5:7'));
    expect(error.code).toBe('invalid_option');
    expect(error.message).toBe(
      '"5:7" is not a valid aspect ratio. Use one of: auto, 1:1, 4:5, 3:4, 2:3, 16:9, 9:16, 21:9.',
    );
    expect(errorOf(() => parseGenerationText('a fox --res 8K')).message).toContain(
      'Use one of: 1K, 2K, 4K.',
    );
    expect(errorOf(() => parseGenerationText('a fox --quality ultra')).message).toContain(
      'auto, low, medium, high',
    );
    expect(errorOf(() => parseGenerationText('a fox --format gif')).message).toContain(
      'png, jpeg, webp',
    );
  });

  it('says a flag needs a value when it has none', () => {
    expect(errorOf(() => parseGenerationText('a fox --ar')).code).toBe('missing_option_value');
    expect(errorOf(() => parseGenerationText('a fox --ar --res 2K')).message).toBe(
      '--ar needs a value: one of auto, 1:1, 4:5, 3:4, 2:3, 16:9, 9:16, 21:9.',
    );
  });

  it('refuses a prompt that is empty once the flags are taken out', () => {
    expect(errorOf(() => parseGenerationText('   --ar 16:9  ')).code).toBe('prompt_empty');
    expect(errorOf(() => parseGenerationText('')).code).toBe('prompt_empty');
  });
});

describe('validateGenerationInput', () => {
  it('accepts exactly 20,000 characters and refuses one more, saying how long it was', () => {
    expect(validateGenerationInput({ prompt: 'x'.repeat(20_000) }).prompt).toHaveLength(20_000);
    const error = errorOf(() => validateGenerationInput({ prompt: 'x'.repeat(20_001) }));
    expect(error.code).toBe('prompt_too_long');
    expect(error.message).toBe(
      'Your prompt is 20,001 characters; the limit is 20,000. Shorten it and try again.',
    );
  });

  it('trims the prompt before measuring it', () => {
    expect(validateGenerationInput({ prompt: `  ${'x'.repeat(20_000)}  \n` }).prompt).toHaveLength(
      20_000,
    );
  });

  it('treats empty option values (Discord leaves them out, forms send "") as not given', () => {
    expect(
      validateGenerationInput({
        prompt: 'a',
        aspectRatio: '',
        resolution: null,
        quality: undefined,
      }).options,
    ).toEqual({
      resolution: '1K',
      private: false,
    });
  });
});
