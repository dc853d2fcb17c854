import type { en } from './locales/en.js';

/** A key without its plural suffix, as code asks for it: `unit.days`, not `unit.days_one`. */
type Base<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

export type EnglishKey = keyof typeof en;
export type MessageKey = Base<EnglishKey>;

/** The plural forms languages use (CLDR); each language's file has the forms its rules name. */
export type PluralForm = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/**
 * A translation: every key of English, each plural key in the forms the language uses. Typed
 * loosely on plural suffixes (a language may have more or fewer forms); the parity test is strict.
 */
export type Translation = Partial<Record<`${MessageKey}_${PluralForm}`, string>> &
  Record<Exclude<EnglishKey, `${string}_${'one' | 'other'}`>, string>;
