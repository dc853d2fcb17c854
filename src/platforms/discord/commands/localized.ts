import {
  ApplicationIntegrationType,
  InteractionContextType,
  Locale as DiscordLocale,
  type LocalizationMap,
} from 'discord.js';
import {
  supportedLocaleOf,
  translate,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '../../../i18n/index.js';

/**
 * The words of a command registration, from the catalogue. Discord shows a command in the
 * person's client language: the default text (English) to everyone whose language has no
 * localization, and `*_localizations[discordLocale]` to the others.
 *
 * What people type stays the same in every language: slash-command and option names (`/imagine
 * prompt:`), because the bot's answers, its help and the docs name them, and people in one channel
 * share them. What people read is translated: descriptions, choice labels, and the name of a
 * context-menu command (its label in the Apps menu).
 */

/** The language commands are registered in by default; Discord's own default is en-US. */
const REGISTRATION_LOCALE: Locale = 'en';

/**
 * Every Discord locale the bot speaks other than English, with the catalogue it reads from:
 * zh-CN, and zh-TW too (Simplified Chinese is the Chinese the bot has, and what its answers to a
 * zh-TW user are in, so the command picker agrees with them).
 */
const TRANSLATED_DISCORD_LOCALES: ReadonlyArray<[DiscordLocale, Locale]> = Object.values(
  DiscordLocale,
).flatMap((discordLocale) => {
  const locale = supportedLocaleOf(discordLocale);
  return locale && locale !== REGISTRATION_LOCALE ? [[discordLocale, locale] as const] : [];
});

/** One catalogue message in every translated Discord locale. */
export function localizations(key: MessageKey, params?: MessageParams): LocalizationMap {
  return Object.fromEntries(
    TRANSLATED_DISCORD_LOCALES.map(([discordLocale, locale]) => [
      discordLocale,
      translate(locale, key, params),
    ]),
  );
}

/** `description` (English) and `description_localizations` of a command, option or subcommand. */
export function described(
  key: MessageKey,
  params?: MessageParams,
): { description: string; description_localizations: LocalizationMap } {
  return {
    description: translate(REGISTRATION_LOCALE, key, params),
    description_localizations: localizations(key, params),
  };
}

/** A choice whose label is read (translated) and whose value is what the handler gets. */
export function labelledChoice<Value extends string | number>(
  value: Value,
  key: MessageKey,
): { name: string; name_localizations: LocalizationMap; value: Value } {
  return {
    name: translate(REGISTRATION_LOCALE, key),
    name_localizations: localizations(key),
    value,
  };
}

/** A context-menu command's name: its label in the Apps menu, translated like any label. */
export function labelledName(key: MessageKey): {
  name: string;
  name_localizations: LocalizationMap;
} {
  return { name: translate(REGISTRATION_LOCALE, key), name_localizations: localizations(key) };
}

/**
 * Where a command for everyone is offered: wherever the app is installed, on a server or on a
 * person's own account (a user install), and in servers, the bot's DM, and DMs and group DMs
 * between people. Where the bot is not a member, its answers live in the interaction's own
 * response (see DiscordInteraction.botMayPostHere).
 */
export const EVERYWHERE = {
  integration_types: [
    ApplicationIntegrationType.GuildInstall,
    ApplicationIntegrationType.UserInstall,
  ],
  contexts: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ],
};

/** A server's own command (/imagine-admin): only where a server installed the app, in that server. */
export const SERVER_ONLY = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
};
