import type { webApi } from '@slack/bolt';
import { resolveLocale, type Locale } from '../../i18n/index.js';
import type { Logger } from '../../log.js';

/** How long a person's language is trusted before Slack is asked again. */
export const USER_LOCALE_TTL_MS = 60 * 60_000;
/** People remembered per replica; the longest unused are forgotten first. */
export const USER_LOCALE_CACHE_SIZE = 5_000;
/** After a failed lookup, the fallback is used this long before Slack is asked again. */
const FAILED_LOOKUP_TTL_MS = 60_000;

export interface UserLocalesOptions {
  /** DEFAULT_LOCALE: for people whose language Slack does not say or the bot does not speak. */
  fallback: Locale;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Each person's language as Slack says it (`users.info` with `include_locale`: `zh-CN`, `en-US`,
 * …), matched to the languages the bot speaks and remembered per replica for an hour, so most
 * interactions cost no extra call. A failed lookup answers the fallback and never fails the
 * interaction.
 */
export class UserLocales {
  private readonly known = new Map<string, { locale: Locale; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly web: webApi.WebClient,
    private readonly logger: Logger,
    private readonly options: UserLocalesOptions,
  ) {
    this.ttlMs = options.ttlMs ?? USER_LOCALE_TTL_MS;
    this.maxEntries = options.maxEntries ?? USER_LOCALE_CACHE_SIZE;
    this.now = options.now ?? Date.now;
  }

  get fallback(): Locale {
    return this.options.fallback;
  }

  async of(userId: string): Promise<Locale> {
    const cached = this.known.get(userId);
    if (cached && cached.until > this.now()) {
      // Most recently used last: the first entry is the one to forget when full.
      this.known.delete(userId);
      this.known.set(userId, cached);
      return cached.locale;
    }
    let locale: Locale;
    let ttl = this.ttlMs;
    try {
      const result = await this.web.users.info({ user: userId, include_locale: true });
      locale = resolveLocale([result.user?.locale], this.options.fallback);
    } catch (error) {
      this.logger.debug(
        { user: userId, err: error },
        'users.info failed; using the default locale',
      );
      locale = this.options.fallback;
      ttl = Math.min(ttl, FAILED_LOOKUP_TTL_MS);
    }
    this.remember(userId, locale, ttl);
    return locale;
  }

  private remember(userId: string, locale: Locale, ttl: number): void {
    this.known.delete(userId);
    this.known.set(userId, { locale, until: this.now() + ttl });
    while (this.known.size > this.maxEntries) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
  }
}
