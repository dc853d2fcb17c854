import type { PlatformWording } from '../../conversation/index.js';
import { typedName } from './commands/localized.js';
import { translate, type Locale } from '../../i18n/index.js';

/** Up to 20 mentions (`<#id>`, `<@&id>`), which show names and never ping; then how many more. */
function mentionList(ids: readonly string[], sigil: '#' | '@&', locale: Locale): string {
  const shown = ids
    .slice(0, 20)
    .map((id) => `<${sigil}${id}>`)
    .join(translate(locale, 'list.separator'));
  const more = ids.length - 20;
  return more > 0 ? translate(locale, 'discord.list.andMore', { list: shown, count: more }) : shown;
}

/**
 * Discord's own words for some of the conversation's refusals, in the reader's language: its
 * permission names, its commands, and channels as `<#id>` mentions (which show the channel's name).
 */
export const discordWording: PlatformWording = {
  prompt_empty: (_p: unknown, locale: Locale) => translate(locale, 'discord.error.prompt_empty'),
  generation_not_found: (_p: unknown, locale: Locale) =>
    translate(locale, 'discord.error.generation_not_found'),
  not_allowed_to_delete: (_p: unknown, locale: Locale) =>
    translate(locale, 'discord.error.not_allowed_to_delete'),
  admin_only: (_p: unknown, locale: Locale) => translate(locale, 'discord.error.admin_only'),
  share_not_allowed: (p: { channelId: string }, locale: Locale) =>
    translate(locale, 'discord.error.share_not_allowed', { channel: `<#${p.channelId}>` }),
  share_cannot_post: (p: { channelId: string }, locale: Locale) =>
    translate(locale, 'discord.error.share_cannot_post', { channel: `<#${p.channelId}>` }),
  channel_not_allowed: (p: { channelIds: readonly string[] }, locale: Locale) => {
    if (p.channelIds.length === 0) return translate(locale, 'discord.error.channel_turned_off');
    const channels = mentionList(p.channelIds, '#', locale);
    return p.channelIds.length === 1
      ? translate(locale, 'discord.error.channel_not_allowed_single', { channel: channels })
      : translate(locale, 'discord.error.channel_not_allowed_several', { channels });
  },
  role_not_allowed: (p: { roleIds: readonly string[] }, locale: Locale) =>
    p.roleIds.length === 1
      ? translate(locale, 'discord.error.role_not_allowed_single', {
          role: mentionList(p.roleIds, '@&', locale),
        })
      : translate(locale, 'discord.error.role_not_allowed_several', {
          roles: mentionList(p.roleIds, '@&', locale),
        }),
  admin_option_missing: (p: { option: string }, locale: Locale) =>
    translate(locale, 'discord.error.admin_option_missing', {
      option: typedName(p.option, locale),
    }),
  nothing_to_share: (_p: unknown, locale: Locale) =>
    translate(locale, 'discord.error.nothing_to_share'),
};
