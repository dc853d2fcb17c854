import { LOCALES, type Locale } from './locales/index.js';
import type { MessageKey } from './types.js';

/** Values a message puts in its placeholders: text as is, numbers in the language's format. */
export type MessageParams = Record<string, string | number>;

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The message `key` in `locale`, its placeholders filled. Plural keys pick their form by
 * `params.count`. A key missing in a language falls back to English (the parity test keeps that
 * from shipping). Parameter values are inserted as they are: never read as a template.
 */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = templateOf(locale, key, params) ?? templateOf('en', key, params);
  if (template === undefined) throw new Error(`no message "${key}" in the catalogue`);
  const numbers = new Intl.NumberFormat(locale);
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

function templateOf(locale: Locale, key: MessageKey, params: MessageParams): string | undefined {
  const messages = LOCALES[locale] as Record<string, string | undefined>;
  if (typeof params.count === 'number') {
    const form = new Intl.PluralRules(locale).select(params.count);
    const plural = messages[`${key}_${form}`] ?? messages[`${key}_other`];
    if (plural !== undefined) return plural;
  }
  return messages[key];
}

/** `t(key, params)` bound to one language: what a renderer holds for one person's answer. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}
