import { cleanEcho } from '../../core/echo.js';

/**
 * Cuts text to Discord's length limits, which count UTF-16 code units (JavaScript's `.length`):
 * an emoji counts twice. Cuts only between code points, so a character is never split, and marks
 * the cut with an ellipsis.
 */
export function fit(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let kept = '';
  for (const point of text) {
    if (kept.length + point.length > maxLength - 1) break;
    kept += point;
  }
  return `${kept}…`;
}

/**
 * Characters that are Discord markdown wherever they stand: emphasis `*` `_`, strike `~`, code
 * `` ` ``, spoilers `|`, masked links `[text](url)`, channel mentions `<#id>` and headings `#`
 * (and the backslash itself, so an escape cannot be undone).
 */
const MARKDOWN_ANYWHERE = /[\\*_~`|[\]#]/g;
/** Markdown only at the start of a line: block quotes, lists (`-`, `+`, `1.`) and subtext `-#`. */
const MARKDOWN_AT_LINE_START = /^([ \t]*)(>+|-|\+|\d+(?=\.))/gm;
/** `https://…` turns into a link on its own; with the colon escaped it stays text. */
const AUTOLINK = /:(?=\/\/)/g;

function escapeMarkdown(text: string): string {
  return text
    .replace(MARKDOWN_ANYWHERE, '\\$&')
    .replace(MARKDOWN_AT_LINE_START, (_match, indent: string, marker: string) =>
      /^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}${marker.replace(/./g, '\\$&')}`,
    )
    .replace(AUTOLINK, '\\:');
}

/**
 * Outside text (prompts, the image API's messages) as Discord shows it: cleaned of invisible
 * characters and secrets, with every markdown character escaped so it reads exactly as typed and
 * nothing in it renders as a link, heading, spoiler, list, quote or code. Mentions stay as typed:
 * `allowed_mentions` keeps them from pinging anyone.
 */
export function escapeEcho(text: string): string {
  return escapeMarkdown(cleanEcho(text));
}

/**
 * Escaped outside text within a length limit. Cleaned before it is cut (half a secret is still a
 * secret), cut before it is escaped (so no escape is split), keeping as much as fits.
 */
export function fitEcho(text: string, maxLength: number): string {
  const clean = cleanEcho(text);
  const whole = escapeMarkdown(clean);
  if (whole.length <= maxLength) return whole;
  const points = [...clean];
  const prefix = (count: number) => escapeMarkdown(points.slice(0, count).join(''));
  // The most code points whose escaped form leaves room for the ellipsis.
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (prefix(middle).length < maxLength) low = middle;
    else high = middle - 1;
  }
  return `${prefix(low)}…`;
}
