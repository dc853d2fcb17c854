import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale as DiscordLocale,
  type APIApplicationCommandOption,
  type LocalizationMap,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import {
  LOCALES,
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
 * Everything is translated: slash-command, subcommand and option names (`discord.name.<name>`,
 * what a person types: `/画图 提示词:` in a Chinese client, `/imagine prompt:` in an English one),
 * descriptions, choice labels, and context-menu names. Discord always sends the bot the default
 * (English) names, so dispatch never depends on the language; the bot's own answers name commands
 * as the reader's client shows them (typedName).
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

/** `channel-2`: the second of a run of like options, named like the first with its number. */
const NUMBERED = /^(.+)-(\d+)$/;

/**
 * What a person types for a slash command, subcommand or option in `locale`: its
 * `discord.name.<name>` message, else the registered (English) name.
 */
export function typedName(name: string, locale: Locale): string {
  if (locale === REGISTRATION_LOCALE) return name;
  const own = (LOCALES[locale] as Record<string, string | undefined>)[`discord.name.${name}`];
  if (own !== undefined) return own;
  const numbered = NUMBERED.exec(name);
  return numbered ? `${typedName(numbered[1]!, locale)}-${numbered[2]}` : name;
}

function nameLocalizations(name: string): LocalizationMap {
  return Object.fromEntries(
    TRANSLATED_DISCORD_LOCALES.flatMap(([discordLocale, locale]) => {
      const typed = typedName(name, locale);
      return typed === name ? [] : [[discordLocale, typed]];
    }),
  );
}

function withOptionNames(option: APIApplicationCommandOption): APIApplicationCommandOption {
  const named = { ...option, name_localizations: nameLocalizations(option.name) };
  return 'options' in option && option.options
    ? ({
        ...named,
        options: option.options.map(withOptionNames),
      } as APIApplicationCommandOption)
    : named;
}

/**
 * A slash command's registration with `name_localizations` on it and on every subcommand and
 * option, from the catalogue. Context-menu commands carry theirs already (labelledName).
 */
export function withTypedNames(
  command: RESTPostAPIApplicationCommandsJSONBody,
): RESTPostAPIApplicationCommandsJSONBody {
  if ((command.type ?? ApplicationCommandType.ChatInput) !== ApplicationCommandType.ChatInput)
    return command;
  return {
    ...command,
    name_localizations: nameLocalizations(command.name),
    ...('options' in command && command.options
      ? { options: command.options.map(withOptionNames) }
      : {}),
  };
}
