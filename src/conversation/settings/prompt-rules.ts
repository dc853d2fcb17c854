/**
 * Prompt rules: a server's blocklist and the operator's file, matched the same way. Matching sees
 * through the usual disguises: case, accents (é, ｅ, 𝐞 all read as e) and characters that do not
 * show (zero-width spaces, soft hyphens, direction marks) inside a word.
 */

import { translate, type Locale, type MessageKey } from '../../i18n/index.js';

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
 * How many ways a regular expression's repetitions and choices may try at one place in the
 * prompt. With no unbounded repetition, matching then takes at most this many steps a character,
 * however long the prompt (a pattern like \w+\s*\w+x takes minutes on a 20,000-character one).
 */
export const MAX_MATCH_WAYS = 100;

/** Why an entry cannot be a rule: a catalogue message (`rule.*`), said in each reader's language. */
export interface RuleProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

const UNBOUNDED: RuleProblem = { key: 'rule.unbounded' };
const NESTED: RuleProblem = { key: 'rule.nested' };
const TOO_MANY_WAYS: RuleProblem = { key: 'rule.too_many_ways', params: { max: MAX_MATCH_WAYS } };

/**
 * Why a regular expression is refused, or undefined: besides syntax, any shape that could make
 * matching a long prompt slow (see MAX_MATCH_WAYS), and back-references.
 */
export function regexProblem(pattern: string): RuleProblem | undefined {
  if (pattern.trim() === '') return { key: 'rule.regex_empty' };
  if (pattern.length > MAX_RULE_LENGTH)
    return { key: 'rule.regex_too_long', params: { max: MAX_RULE_LENGTH } };
  try {
    new RegExp(normalisePattern(pattern), 'iu');
  } catch (error) {
    // The JavaScript engine's own words for what is wrong, shown as they are.
    const detail = (error as Error).message.replace(/^Invalid regular expression: /, '');
    return { key: 'rule.regex_invalid', params: { detail } };
  }
  if (/\\[1-9]|\\k</.test(pattern)) return { key: 'rule.back_references' };
  return slowShape(normalisePattern(pattern));
}

interface Quantifier {
  min: number;
  max: number;
  /** Characters it takes in the pattern, a lazy `?` included. */
  length: number;
}

/** The quantifier at that index (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), if one starts there. */
function quantifierAt(pattern: string, index: number): Quantifier | undefined {
  const character = pattern[index];
  let quantifier: Quantifier | undefined;
  if (character === '*') quantifier = { min: 0, max: Infinity, length: 1 };
  else if (character === '+') quantifier = { min: 1, max: Infinity, length: 1 };
  else if (character === '?') quantifier = { min: 0, max: 1, length: 1 };
  else if (character === '{') {
    const counts = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
    if (!counts) return undefined;
    const min = Number(counts[1]);
    const max = counts[2] === undefined ? min : counts[3] === '' ? Infinity : Number(counts[3]);
    quantifier = { min, max, length: counts[0].length };
  }
  if (quantifier && pattern[index + quantifier.length] === '?') quantifier.length++;
  return quantifier;
}

/** Where a group's own syntax ends: `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`, or plain `(`. */
function groupBodyStart(pattern: string, open: number): number {
  if (pattern[open + 1] !== '?') return open + 1;
  const kind = pattern[open + 2];
  if (kind === '<' && pattern[open + 3] !== '=' && pattern[open + 3] !== '!')
    return pattern.indexOf('>', open) + 1;
  return open + (kind === '<' ? 4 : 3);
}

interface OpenGroup {
  /** Something inside it repeats, in it or in a group within it. */
  repeats: boolean;
  /** Its alternatives (`a|b|c`: 3). */
  branches: number;
}

/**
 * Walks the pattern (escapes and character classes are single atoms), counting the ways its
 * repetitions and choices multiply, and refusing unbounded or nested repetition.
 */
function slowShape(pattern: string): RuleProblem | undefined {
  const stack: OpenGroup[] = [{ repeats: false, branches: 1 }];
  let ways = 1;
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index]!;
    const top = stack.at(-1)!;
    const quantifier = quantifierAt(pattern, index);
    if (quantifier) {
      if (quantifier.max === Infinity) return UNBOUNDED;
      ways *= quantifier.max - quantifier.min + 1;
      if (quantifier.max > 1) top.repeats = true;
      index += quantifier.length;
      continue;
    }
    if (character === '\\') {
      index += 2;
      continue;
    }
    if (character === '[') {
      for (index++; index < pattern.length && pattern[index] !== ']'; index++)
        if (pattern[index] === '\\') index++;
    } else if (character === '(') {
      stack.push({ repeats: false, branches: 1 });
      index = groupBodyStart(pattern, index);
      continue;
    } else if (character === ')' && stack.length > 1) {
      const group = stack.pop()!;
      ways *= group.branches;
      const after = quantifierAt(pattern, index + 1);
      if (after) {
        if (after.max === Infinity) return UNBOUNDED;
        if (after.max > 1 && (group.repeats || group.branches > 1)) return NESTED;
        ways *= after.max - after.min + 1;
        index += after.length;
      }
      stack.at(-1)!.repeats ||= group.repeats || (after !== undefined && after.max > 1);
    } else if (character === '|') {
      top.branches++;
    }
    index++;
  }
  ways *= stack[0]!.branches;
  return ways > MAX_MATCH_WAYS ? TOO_MANY_WAYS : undefined;
}

/** Why an entry cannot be a rule, or undefined; names no list, so admins and the file share it. */
export function ruleProblemOf(entry: string): RuleProblem | undefined {
  if (entry.startsWith(REGEX_PREFIX)) return regexProblem(entry.slice(REGEX_PREFIX.length));
  if (entry.length > MAX_RULE_LENGTH)
    return { key: 'rule.entry_too_long', params: { max: MAX_RULE_LENGTH } };
  if (!phrasePattern(entry)) return { key: 'rule.no_word' };
  return undefined;
}

/** ruleProblemOf in `locale` (English: the operator's start-up line, logs). */
export function ruleProblem(entry: string, locale: Locale = 'en'): string | undefined {
  const problem = ruleProblemOf(entry);
  return problem && translate(locale, problem.key, problem.params);
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
