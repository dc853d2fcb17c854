/**
 * Prompt rules: a server's blocklist and the operator's file, matched the same way. Matching sees
 * through the usual disguises: case, accents (é, ｅ, 𝐞 all read as e) and characters that do not
 * show (zero-width spaces, soft hyphens, direction marks) inside a word.
 */

/** `re:` starts a regular expression; anything else is a word or phrase. */
export const REGEX_PREFIX = 're:';
/** Longer patterns are refused: a rule stays readable, and matching it stays quick. */
export const MAX_RULE_LENGTH = 200;

/** Which list a matching rule came from; admins see it (and the rule) in the audit, users never. */
export type RuleSource = 'server' | 'file';

export interface BlockedBy {
  rule: string;
  source: RuleSource;
}

const COMBINING_MARKS = /\p{M}/gu;
/** Format characters and every code point Unicode says to draw as nothing. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** The text rules are matched against: lower case, compatibility forms, no accents, nothing invisible. */
export function normaliseForMatching(text: string): string {
  // Lower case first: some capitals (İ) lower to a letter plus a combining mark, dropped next.
  return text.toLowerCase().normalize('NFKD').replace(COMBINING_MARKS, '').replace(INVISIBLE, '');
}

/**
 * A regular expression's text normalised like the prompt, except for case (the `i` flag sees to
 * it): lower-casing would turn \\S or \\P{L} into their opposites.
 */
function normalisePattern(pattern: string): string {
  return pattern.normalize('NFKD').replace(COMBINING_MARKS, '').replace(INVISIBLE, '');
}

/**
 * Scripts written without spaces between words: a rule in them matches inside a run of letters,
 * since there is no word edge to wait for.
 */
const UNSPACED_LETTER =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Does this edge of a phrase need the next character to be a non-letter for the phrase to count? */
function needsWordEdge(character: string): boolean {
  return WORD_CHARACTER.test(character) && !UNSPACED_LETTER.test(character);
}

/**
 * A plain entry as a pattern: its words in order, any run of spaces or punctuation between them,
 * and no letter or digit right before or after (so "cat" blocks "a cat." but not "category").
 */
function phrasePattern(entry: string): RegExp | undefined {
  const words = normaliseForMatching(entry).split(/\s+/u).filter(Boolean);
  if (words.length === 0) return undefined;
  const body = words.map(escapeForRegExp).join('[^\\p{L}\\p{N}]+');
  const first = [...words[0]!][0]!;
  const last = [...words.at(-1)!].at(-1)!;
  const before = needsWordEdge(first) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = needsWordEdge(last) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${body}${after}`, 'u');
}

/**
 * Why a regular expression is refused, or undefined. Besides syntax, shapes that can take
 * exponentially long on a long prompt are refused: a repeated group that itself repeats or
 * alternates, and back-references.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'the regular expression after re: is empty';
  if (pattern.length > MAX_RULE_LENGTH)
    return `a regular expression can be at most ${MAX_RULE_LENGTH} characters`;
  try {
    new RegExp(normalisePattern(pattern), 'iu');
  } catch (error) {
    return `it is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  if (/\\[1-9]|\\k</.test(pattern))
    return 'back-references (\\1, \\k<name>) are not allowed, as they can make matching very slow';
  if (hasNestedRepetition(pattern))
    return 'a repeated group may not itself contain a repetition or a choice (like (a+)+ or (a|b)*), as it can make matching very slow; repeat a character class instead, e.g. [ab]+';
  return undefined;
}

interface OpenGroup {
  /** Something inside it repeats (`*`, `+`, `{n,m}`), in it or in a group within it. */
  repeats: boolean;
  /** It offers a choice (`|`) directly. */
  alternates: boolean;
}

/** `*`, `+`, `{2}`, `{2,}`, `{2,5}` at that index: how far it repeats. `?` only makes optional. */
function repetitionAt(pattern: string, index: number): 'bounded' | 'unbounded' | undefined {
  const character = pattern[index];
  if (character === '*' || character === '+') return 'unbounded';
  if (character !== '{') return undefined;
  const counts = /^\{\d+(,(\d*))?\}/.exec(pattern.slice(index));
  if (!counts) return undefined;
  return counts[1] !== undefined && counts[2] === '' ? 'unbounded' : 'bounded';
}

/** Walks the pattern's groups (skipping escapes and character classes) looking for (…+)+ shapes. */
function hasNestedRepetition(pattern: string): boolean {
  const stack: OpenGroup[] = [{ repeats: false, alternates: false }];
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      index++;
    } else if (character === '[') {
      for (index++; index < pattern.length && pattern[index] !== ']'; index++)
        if (pattern[index] === '\\') index++;
    } else if (character === '(') {
      stack.push({ repeats: false, alternates: false });
    } else if (character === ')' && stack.length > 1) {
      const group = stack.pop()!;
      const repetition = repetitionAt(pattern, index + 1);
      if (repetition === 'unbounded' && (group.repeats || group.alternates)) return true;
      if (repetition === 'bounded' && group.repeats) return true;
      stack.at(-1)!.repeats ||= group.repeats || repetition !== undefined;
    } else if (character === '|') {
      stack.at(-1)!.alternates = true;
    } else if (repetitionAt(pattern, index)) {
      stack.at(-1)!.repeats = true;
    }
  }
  return false;
}

/** Why an entry cannot be a rule, or undefined; names no list, so admins and the file share it. */
export function ruleProblem(entry: string): string | undefined {
  if (entry.startsWith(REGEX_PREFIX)) return regexProblem(entry.slice(REGEX_PREFIX.length));
  if (entry.length > MAX_RULE_LENGTH)
    return `an entry can be at most ${MAX_RULE_LENGTH} characters`;
  if (!phrasePattern(entry)) return 'it has no word to match';
  return undefined;
}

/** Compiled rules by their text: every generation checks every rule, so each compiles once. */
const compiled = new Map<string, RegExp | undefined>();
const MAX_COMPILED = 10_000;

function matcherFor(entry: string): RegExp | undefined {
  if (compiled.has(entry)) return compiled.get(entry);
  let matcher: RegExp | undefined;
  if (ruleProblem(entry) === undefined) {
    matcher = entry.startsWith(REGEX_PREFIX)
      ? new RegExp(normalisePattern(entry.slice(REGEX_PREFIX.length)), 'iu')
      : phrasePattern(entry);
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(entry, matcher);
  return matcher;
}

/**
 * The first rule that blocks the prompt, the operator's file first, or undefined. An entry that
 * is not a valid rule (stored before a stricter check) blocks nothing.
 */
export function blockedBy(
  prompt: string,
  serverBlocklist: readonly string[],
  fileBlocklist: readonly string[] = [],
): BlockedBy | undefined {
  const text = normaliseForMatching(prompt);
  const lists: [RuleSource, readonly string[]][] = [
    ['file', fileBlocklist],
    ['server', serverBlocklist],
  ];
  for (const [source, rules] of lists) {
    for (const rule of rules) if (matcherFor(rule)?.test(text)) return { rule, source };
  }
  return undefined;
}
