import { resolveLocale, supportedLocaleOf, type Locale } from '../i18n/index.js';

/**
 * The terminal's language, as POSIX programs find it: the first of LC_ALL, LC_MESSAGES and LANG
 * that is set decides (`zh_CN.UTF-8` reads Simplified Chinese); one naming no language the
 * command speaks (`C`, `fr_FR`) leaves it to DEFAULT_LOCALE, else English.
 */
export function terminalLocale(env: NodeJS.ProcessEnv): Locale {
  const decisive = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value);
  return resolveLocale([decisive], supportedLocaleOf(env.DEFAULT_LOCALE) ?? 'en');
}
