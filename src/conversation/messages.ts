import { UserError } from '../core/errors.js';
import { registerCatalogue, nameIn, type Catalogue, type ParamsOf } from '../core/messages.js';
import { formatList, translate, type Locale, type MessageKey } from '../i18n/index.js';
import type { RuleProblem } from './settings/prompt-rules.js';

/** A message that takes no placeholders; `locale` defaults to English, as `message()` reads. */
type NoParams = Record<string, never> | undefined;

function fixed(key: MessageKey) {
  return (_params?: NoParams, locale: Locale = 'en'): string => translate(locale, key);
}

/** What `settings_credits_invalid` names, as each language says it. */
const SETTING_NAMES: Record<string, MessageKey> = {
  'daily server budget': 'settings.setting.daily_server_budget',
  'monthly server budget': 'settings.setting.monthly_server_budget',
  'role allowance': 'settings.setting.role_allowance',
};

/** The lists `settings_list_too_long` names. */
const LIST_NAMES: Record<string, MessageKey> = {
  channel: 'settings.list.channel',
  role: 'settings.list.role',
  blocklist: 'settings.list.blocklist',
  'regular expression': 'settings.list.regular_expression',
};

/**
 * What the conversation itself refuses, in neutral words, in the reader's language (the words are
 * in src/i18n/locales, `error.<code>`). A platform that names things its own way (Manage Messages,
 * workspace admins) gives its wording for a code; see PlatformWording.
 */
export const conversationMessages = {
  generation_not_found: fixed('error.generation_not_found'),
  not_allowed_to_delete: fixed('error.not_allowed_to_delete'),
  admin_only: fixed('error.admin_only'),
  admin_usage: fixed('error.admin_usage'),
  server_only: fixed('error.server_only'),
  nothing_to_share: fixed('error.nothing_to_share'),
  share_not_allowed: (p: { channelId: string }, locale: Locale = 'en') =>
    translate(locale, 'error.share_not_allowed', { channelId: p.channelId }),
  share_cannot_post: (p: { channelId: string }, locale: Locale = 'en') =>
    translate(locale, 'error.share_cannot_post', { channelId: p.channelId }),
  share_image_unavailable: fixed('error.share_image_unavailable'),
  too_many_sources: (p: { given: number; max: number }, locale: Locale = 'en') =>
    translate(locale, 'error.too_many_sources', { given: p.given, max: p.max }),
  source_not_image: (p: { name: string }, locale: Locale = 'en') =>
    translate(locale, 'error.source_not_image', { name: p.name }),
  source_too_large: (p: { name: string; maxMb: number }, locale: Locale = 'en') =>
    translate(locale, 'error.source_too_large', { name: p.name, maxMb: p.maxMb }),
  source_not_https: (p: { url: string }, locale: Locale = 'en') =>
    translate(locale, 'error.source_not_https', { url: p.url }),
  source_unreachable: (
    p: { name: string; reason: string; why?: CatalogueText },
    locale: Locale = 'en',
  ) =>
    translate(locale, 'error.source_unreachable', {
      name: p.name,
      reason: p.why ? translate(locale, p.why.key, p.why.params) : p.reason,
    }),
  sources_not_set_up: fixed('error.sources_not_set_up'),
  no_image_on_message: fixed('error.no_image_on_message'),
  edit_draft_expired: fixed('error.edit_draft_expired'),
  not_your_edit: fixed('error.not_your_edit'),
  nothing_to_edit: fixed('error.nothing_to_edit'),
  result_image_gone: fixed('error.result_image_gone'),
  already_largest: fixed('error.already_largest'),
  channel_not_allowed: (p: { channelIds: readonly string[] }, locale: Locale = 'en') =>
    p.channelIds.length > 0
      ? translate(locale, 'error.channel_not_allowed', {
          channelIds: formatList(p.channelIds, locale),
        })
      : translate(locale, 'error.channel_not_allowed_none'),
  no_channel_allowed: fixed('error.no_channel_allowed'),
  dms_not_allowed: fixed('error.dms_not_allowed'),
  role_not_allowed: (p: { roleIds: readonly string[] }, locale: Locale = 'en') =>
    translate(locale, 'error.role_not_allowed', { roleIds: formatList(p.roleIds, locale) }),
  prompt_blocked: fixed('error.prompt_blocked'),
  prompt_blocked_by_bot: fixed('error.prompt_blocked_by_bot'),
  blocklist_entry_invalid: (
    p: { entry: string; reason: string; problem?: RuleProblem },
    locale: Locale = 'en',
  ) =>
    translate(locale, 'error.blocklist_entry_invalid', {
      entry: p.entry,
      reason: p.problem ? translate(locale, p.problem.key, p.problem.params) : p.reason,
    }),
  settings_list_too_long: (p: { list: string; max: number }, locale: Locale = 'en') =>
    translate(locale, 'error.settings_list_too_long', {
      list: nameIn(LIST_NAMES, p.list, locale),
      max: p.max,
    }),
  settings_credits_invalid: (p: { setting: string; value: number }, locale: Locale = 'en') =>
    translate(locale, 'error.settings_credits_invalid', {
      // As typed: not regrouped into thousands.
      value: String(p.value),
      setting: nameIn(SETTING_NAMES, p.setting, locale),
    }),
  admin_option_missing: (p: { option: string }, locale: Locale = 'en') =>
    translate(locale, 'error.admin_option_missing', { option: p.option }),
  settings_id_invalid: (p: { id: string }, locale: Locale = 'en') =>
    translate(locale, 'error.settings_id_invalid', { id: p.id }),
  unknown_command: (p: { typed: string }, locale: Locale = 'en') =>
    translate(locale, 'error.unknown_command', { typed: p.typed }),
} satisfies Catalogue;

registerCatalogue(conversationMessages);

export type ConversationCode = keyof typeof conversationMessages;

/** Words a refusal carries as a param, kept as a catalogue key so each reader gets their own. */
export interface CatalogueText {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * A source image could not be fetched, for this reason (`source.reason.*`): its English words in
 * `reason`, and the key, so the refusal is said again in the reader's language.
 */
export function unreachable(
  name: string,
  key: MessageKey,
  params?: Record<string, string | number>,
): UserError<'source_unreachable'> {
  const why: CatalogueText = params ? { key, params } : { key };
  return refusal('source_unreachable', { name, reason: translate('en', key, params), why });
}

/** A refusal of the conversation layer, typed against its catalogue. */
export function refusal<C extends ConversationCode>(
  code: C,
  ...params: ParamsOf<typeof conversationMessages, C> extends Record<string, never>
    ? []
    : [ParamsOf<typeof conversationMessages, C>]
): UserError<C> {
  const make = UserError as new (code: C, params?: Record<string, unknown>) => UserError<C>;
  return new make(code, params[0]);
}
