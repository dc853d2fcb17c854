import {
  LOCALES,
  resolveLocale,
  SUPPORTED_LOCALES,
  translate,
  type Locale,
  type MessageKey,
} from '../../i18n/index.js';

/** Only these keys go to the page: its own words, not the whole catalogue. */
const PAGE_PREFIX = 'playground.page.';

/** What the page needs to speak one language, and which others it may switch to. */
export interface PageMessages {
  locale: Locale;
  /** Each language by its own name ("English", "简体中文"), for the switch. */
  languages: { locale: Locale; name: string }[];
  /** Every `playground.page.*` message of `locale` (English where a key is missing). */
  messages: Record<string, string>;
}

export function pageMessages(locale: Locale): PageMessages {
  const messages: Record<string, string> = {};
  for (const source of [LOCALES.en, LOCALES[locale]] as Record<string, string | undefined>[]) {
    for (const [key, text] of Object.entries(source))
      if (key.startsWith(PAGE_PREFIX) && text !== undefined) messages[key] = text;
  }
  return {
    locale,
    languages: SUPPORTED_LOCALES.map((candidate) => ({
      locale: candidate,
      name: translate(candidate, 'playground.page.languageName'),
    })),
    messages,
  };
}

/** `Accept-Language: zh-CN,zh;q=0.9,en;q=0.8` as tags, most wanted first. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.tag);
}

/**
 * The language of one request: what the page asked for (its switch, else the browser's
 * languages, comma-separated), then what the browser says it accepts, then the bot's default.
 */
export function requestLocale(
  asked: string | null | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): Locale {
  const askedTags = (asked ?? '').split(',').map((tag) => tag.trim());
  return resolveLocale([...askedTags, ...acceptedLanguages(acceptLanguage)], fallback);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * The page's HTML in one language: `{{t:key}}` becomes the message (escaped), `{{code:key}}` the
 * message with its backtick spans as <code>, `{{LANG}}` the language's tag and `{{MESSAGES}}` the
 * page's messages as JSON (read by the script, so it starts without another request).
 */
export function localizePage(html: string, locale: Locale): string {
  const message = (key: string) => translate(locale, key as MessageKey);
  return html
    .replaceAll('{{LANG}}', locale)
    .replaceAll('{{MESSAGES}}', JSON.stringify(pageMessages(locale)).replace(/</g, '\\u003c'))
    .replace(/\{\{t:([\w.]+)\}\}/g, (_whole, key: string) => escapeHtml(message(key)))
    .replace(/\{\{code:([\w.]+)\}\}/g, (_whole, key: string) =>
      message(key)
        .split('`')
        .map((part, index) => (index % 2 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
        .join(''),
    );
}
