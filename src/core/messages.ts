import { formatList, translate, type Locale, type MessageKey } from '../i18n/index.js';
import { cleanEcho } from './echo.js';
import { describeMonthReset, describeReset } from './reset-time.js';

/** A message that takes no placeholders; `locale` defaults to English, as `message()` reads. */
type NoParams = Record<string, never> | undefined;

/** A catalogue sentence with nothing to fill in. */
function fixed(key: MessageKey) {
  return (_params?: NoParams, locale: Locale = 'en'): string => translate(locale, key);
}

/**
 * When credits come back, said in the reader's language: from the times a refusal carries
 * (`resetsAtTime`, `refusedAt`), else the English phrase an older refusal carried.
 */
interface ResetWhen {
  resetsAt: string;
  resetsAtTime?: number;
  refusedAt?: number;
}

function resetPhrase(p: ResetWhen, locale: Locale, period: 'day' | 'month'): string {
  if (p.resetsAtTime === undefined || p.refusedAt === undefined) return p.resetsAt;
  const describe = period === 'day' ? describeReset : describeMonthReset;
  return describe(new Date(p.resetsAtTime), p.refusedAt, locale);
}

interface PoolRefusal extends ResetWhen {
  remaining: number;
  cost: number;
}

/** A server's (or workspace's) shared credits ran out: what is left, when they return, what to do. */
function sharedCreditsRefusal(period: 'day' | 'month') {
  const key = period === 'day' ? 'error.server_daily_exhausted' : 'error.server_monthly_exhausted';
  return (p: PoolRefusal, locale: Locale = 'en'): string =>
    translate(locale, p.remaining > 0 ? (`${key}_cheaper` as const) : key, {
      count: p.cost,
      remaining: p.remaining,
      resetsAt: resetPhrase(p, locale, period),
    });
}

/** Names the core passes in `option` (what a value was not valid for), as each language says them. */
const OPTION_NAMES: Record<string, MessageKey> = {
  resolution: 'option.resolution',
  'aspect ratio': 'option.aspect_ratio',
  quality: 'option.quality',
  'output format': 'option.output_format',
  'private setting': 'option.private',
};

/** A name from a fixed set, in the reader's language; one the catalogue does not know, as given. */
export function nameIn(names: Record<string, MessageKey>, name: string, locale: Locale): string {
  const key = names[name];
  return key ? translate(locale, key) : name;
}

/** The API's words with its code, when it gave one: two sentences, so each language orders them. */
function failureMessage(key: 'error.generation_failed' | 'error.edit_failed') {
  return (
    p: { failMsg: string | null; failCode?: string | null },
    locale: Locale = 'en',
  ): string => {
    // No words from the API: ours, in the reader's language.
    const failMsg = p.failMsg ?? translate(locale, 'error.no_reason');
    return p.failCode
      ? translate(locale, `${key}_with_code` as const, { failMsg, failCode: p.failCode })
      : translate(locale, key, { failMsg });
  };
}

/**
 * Every message a user can see for something that went wrong, in one place, so wording stays
 * consistent across Discord, Slack and the terminal and every message says what to do next. Each
 * takes its placeholders' values and the reader's language; the words are in src/i18n/locales.
 */
export const messages = {
  prompt_empty: fixed('error.prompt_empty'),
  prompt_too_long: (p: { length: number; max: number }, locale: Locale = 'en') =>
    translate(locale, 'error.prompt_too_long', { length: p.length, max: p.max }),
  invalid_option: (
    p: { option: string; value: string; valid: readonly string[] },
    locale: Locale = 'en',
  ) =>
    translate(locale, 'error.invalid_option', {
      value: p.value,
      option: nameIn(OPTION_NAMES, p.option, locale),
      valid: formatList(p.valid, locale),
    }),
  unknown_option: (p: { flag: string; known: readonly string[] }, locale: Locale = 'en') =>
    translate(locale, 'error.unknown_option', {
      flag: p.flag,
      known: formatList(p.known, locale),
    }),
  missing_option_value: (p: { flag: string; valid: readonly string[] }, locale: Locale = 'en') =>
    translate(locale, 'error.missing_option_value', {
      flag: p.flag,
      // --image's value is described, not listed: said in the reader's language.
      valid: formatList(
        p.valid.map((value) =>
          value === translate('en', 'option.image_link')
            ? translate(locale, 'option.image_link')
            : value,
        ),
        locale,
      ),
    }),
  quota_exhausted: (
    p: { remaining: number; cost: number; cheaperFits: boolean } & ResetWhen,
    locale: Locale = 'en',
  ) =>
    translate(locale, p.cheaperFits ? 'error.quota_exhausted_cheaper' : 'error.quota_exhausted', {
      count: p.cost,
      remaining: p.remaining,
      resetsAt: resetPhrase(p, locale, 'day'),
    }),
  server_daily_exhausted: sharedCreditsRefusal('day'),
  server_monthly_exhausted: sharedCreditsRefusal('month'),
  too_many_active: (p: { max: number }, locale: Locale = 'en') =>
    translate(locale, 'error.too_many_active', { count: p.max }),
  api_invalid_request: (p: { apiMessage: string }, locale: Locale = 'en') =>
    translate(locale, 'error.api_invalid_request', { apiMessage: p.apiMessage }),
  api_unavailable_for_operator: fixed('error.api_unavailable_for_operator'),
  api_out_of_credits: fixed('error.api_out_of_credits'),
  api_task_not_found: fixed('error.api_task_not_found'),
  api_busy: fixed('error.api_busy'),
  api_rate_limited: (p: { retryAfterSeconds: number }, locale: Locale = 'en') =>
    translate(locale, 'error.api_rate_limited', {
      seconds: Math.max(1, Math.ceil(p.retryAfterSeconds)),
    }),
  api_unavailable: fixed('error.api_unavailable'),
  api_malformed: fixed('error.api_malformed'),
  generation_failed: failureMessage('error.generation_failed'),
  edit_failed: failureMessage('error.edit_failed'),
  result_unavailable: fixed('error.result_unavailable'),
  generation_timed_out: (p: { minutes: number }, locale: Locale = 'en') =>
    translate(locale, 'error.generation_timed_out', { minutes: p.minutes }),
  internal: (p: { correlationId: string }, locale: Locale = 'en') =>
    translate(locale, 'error.internal', { correlationId: p.correlationId }),
} as const;

export type MessageCode = keyof typeof messages;
export type MessageParams<C extends MessageCode> = ParamsOf<typeof messages, C>;

/**
 * A set of messages by code; each takes its placeholders' values and the reader's language and
 * returns the sentence. (A platform's older catalogue may ignore the language: it speaks English.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Catalogue = Record<string, (params: any, locale: Locale) => string>;

/** The placeholders a catalogue's message takes (none: an empty record). */
export type ParamsOf<K extends Catalogue, C extends keyof K> = undefined extends Parameters<K[C]>[0]
  ? Record<string, never>
  : Parameters<K[C]>[0];

/**
 * The core's catalogue first; the conversation layer and each platform add theirs at load time,
 * so a UserError may carry any of their codes while the core knows none of them.
 */
const catalogues: Catalogue[] = [messages];

export function registerCatalogue(catalogue: Catalogue): void {
  if (!catalogues.includes(catalogue)) catalogues.push(catalogue);
}

export function isKnownCode(code: string): boolean {
  return catalogues.some((catalogue) => Object.hasOwn(catalogue, code));
}

/**
 * The message for `code` in `locale` (English unless told). Messages carry outside text (the API's
 * msg and failMsg, what was typed): cleaned like any echo.
 */
export function renderMessage(code: string, params: object, locale: Locale = 'en'): string {
  const catalogue = catalogues.find((candidate) => Object.hasOwn(candidate, code));
  if (!catalogue) throw new Error(`no message catalogued for code "${code}"`);
  return cleanEcho(catalogue[code]!(params, locale));
}

/** What a failed job's view carries: its code, its English message, what the code's message takes. */
interface FailureSaid {
  code: string;
  message: string;
  params?: Record<string, unknown>;
  failMsg?: string | null;
  failCode?: string | null;
}

/**
 * A failed job's message in `locale`: from its code and params (the API's failMsg shown as the API
 * gave it, inside the sentence). A job recorded before failures kept their params, or failed with a
 * code no catalogue has any more, keeps its English message.
 */
export function failureText(failure: FailureSaid, locale: Locale = 'en'): string {
  if (locale === 'en' || !isKnownCode(failure.code)) return cleanEcho(failure.message);
  const params = failure.params ?? { failMsg: failure.failMsg, failCode: failure.failCode };
  const said = renderMessage(failure.code, params, locale);
  // A placeholder left unfilled: the params the message needs were not kept; English was whole.
  return /\{\w+\}/.test(said) && !/\{\w+\}/.test(failure.message)
    ? cleanEcho(failure.message)
    : said;
}
