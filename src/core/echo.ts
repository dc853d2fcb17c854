/**
 * Outside text (prompts, the image API's messages) shown back to people, cleaned the same way on
 * every platform: characters that reorder or hide what is shown are removed, and no known secret
 * survives. Markdown escaping stays with each platform, which knows its own syntax.
 */

/**
 * Bidirectional embeddings, overrides, isolates and marks: they make a prompt display in an order
 * other than the one it was written in (a filename or URL that reads backwards).
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/**
 * Zero-width space, non-joiner, word joiner and byte-order mark hide text inside text. The
 * zero-width joiner too, except between two emoji, where it is what makes 👩‍🚀 one picture.
 */
const ZERO_WIDTH =
  /[\u200B\u200C\u2060\uFEFF]|(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export const SECRET_REPLACEMENT = '[REDACTED]';

/** Shorter values match too much ordinary text to be worth hiding. */
const MIN_SECRET_LENGTH = 4;

export function removeInvisible(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(ZERO_WIDTH, '');
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every occurrence of the given secret values; the logger and the renderers share it. */
export function secretScrubber(secrets: Iterable<string | undefined>): (text: string) => string {
  const values = [
    ...new Set(
      [...secrets].filter((value): value is string => !!value && value.length >= MIN_SECRET_LENGTH),
    ),
  ];
  if (values.length === 0) return (text) => text;
  const pattern = new RegExp(
    values
      .sort((a, b) => b.length - a.length)
      .map(escapeForRegExp)
      .join('|'),
    'g',
  );
  return (text) => text.replace(pattern, SECRET_REPLACEMENT);
}

/**
 * The process's own secrets (API key, bot tokens, signing secret, playground token), registered
 * once at start-up by the composition root, so that any renderer can hide them without having
 * the configuration passed down to it.
 */
const knownSecrets = new Set<string>();
let scrubKnown: (text: string) => string = (text) => text;

export function rememberSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) if (value) knownSecrets.add(value);
  scrubKnown = secretScrubber(knownSecrets);
}

export function hideSecrets(text: string): string {
  return scrubKnown(text);
}

/**
 * What every echo goes through before a platform escapes it. Invisible characters go first, so a
 * secret split by a zero-width space is still recognised once the space is gone.
 */
export function cleanEcho(text: string): string {
  return hideSecrets(removeInvisible(text));
}
