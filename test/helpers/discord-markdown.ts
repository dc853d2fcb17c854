/**
 * Discord markdown that would be live in an embed: an unescaped masked link, a heading, subtext,
 * quote or list at a line start, a spoiler, code, emphasis, strike-through or a bare URL.
 * Escaped characters (a backslash and the character after it) are taken out first.
 */
export function liveDiscordMarkdown(text: string): string[] {
  const bare = text.replace(/\\[^0-9A-Za-z\s]/g, ' ');
  const found: string[] = [];
  const rules: Array<[string, RegExp]> = [
    ['masked link', /\[[^\]]*\]\([^)]*\)/],
    ['heading or subtext', /^[ \t]*-?#{1,3} /m],
    ['block quote', /^[ \t]*>/m],
    ['list', /^[ \t]*([-*+]|\d+\.) /m],
    ['spoiler', /\|\|/],
    ['code', /`/],
    ['emphasis', /[*_~]/],
    ['autolink', /https?:\/\//],
    ['channel link', /<#\d+>/],
  ];
  for (const [name, rule] of rules) if (rule.test(bare)) found.push(name);
  return found;
}

/** What a person reads: Discord drops the backslash before any escaped punctuation. */
export function asRead(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

/** Bidi controls and zero-width characters (a joiner between two emoji aside). */
export const HIDDEN_CHARACTERS =
  /[\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|\u200D(?!\p{Extended_Pictographic})/u;
