/**
 * Every word a person sees, in their language: one catalogue per language (locales/), the
 * language chosen from what the platform says (resolveLocale), messages filled and formatted for
 * that language (translate, formatDuration). Platform-free: the core, the conversation and every
 * adapter render through it.
 */
export { LOCALES, SUPPORTED_LOCALES, type Locale } from './locales/index.js';
export { resolveLocale, supportedLocaleOf } from './resolve-locale.js';
export { translate, translator, type MessageParams, type Translator } from './translate.js';
export { formatDuration } from './duration.js';
export { formatList } from './list.js';
export type { MessageKey, Translation } from './types.js';
