import { SUPPORTED_LOCALES, type Locale } from './locales/index.js';

/**
 * The first candidate the bot speaks, else `fallback`. Candidates are what a platform says, most
 * personal first (Discord: the user's locale, then the server's). Accepts BCP 47 (`zh-CN`,
 * `zh-Hans-SG`, `en-GB`) and POSIX locale names (`zh_CN.UTF-8`, as in LANG). Any Chinese maps to
 * Simplified Chinese: it is the Chinese the bot has, and closer than English for that reader.
 */
export function resolveLocale(
  candidates: readonly (string | undefined | null)[],
  fallback: Locale,
): Locale {
  for (const candidate of candidates) {
    const locale = supportedLocaleOf(candidate);
    if (locale) return locale;
  }
  return fallback;
}

/** One tag matched against the supported languages, or undefined. */
export function supportedLocaleOf(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  // POSIX: language_TERRITORY.codeset@modifier; "C" and "POSIX" name no language.
  const cleaned = tag.trim().split(/[.@]/)[0]!.replace(/_/g, '-');
  if (cleaned === '' || cleaned === 'C' || cleaned === 'POSIX') return undefined;
  const exact = SUPPORTED_LOCALES.find((locale) => locale.toLowerCase() === cleaned.toLowerCase());
  if (exact) return exact;
  const language = cleaned.split('-')[0]!.toLowerCase();
  return SUPPORTED_LOCALES.find((locale) => locale.split('-')[0]!.toLowerCase() === language);
}
