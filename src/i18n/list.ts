import type { Locale } from './locales/index.js';

/**
 * Items as the language lists them, every item named: "1:1, 16:9, 9:16" in English, "1:1、16:9、9:16"
 * in Chinese. Items are shown as given (option values, channel names), never translated here.
 */
export function formatList(items: readonly string[], locale: Locale): string {
  return new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(items);
}
