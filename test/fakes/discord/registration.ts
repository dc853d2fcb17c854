import type { Localizations, RegisteredCommand, RegisteredOption } from './commands.js';
import { OptionType } from './commands.js';

/**
 * Discord's rules for registering application commands
 * (https://discord.com/developers/docs/interactions/application-commands): what breaks one is
 * refused with 400 Invalid Form Body, as Discord refuses it.
 */
const LIMITS = {
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  stringLength: 6_000,
  /** Name, description, and every option's and choice's name, description and value, together. */
  totalCharacters: 4_000,
} as const;

/**
 * Names of slash commands and their options, in every language: letters, numbers, `-` and `_`,
 * Devanagari and Thai, 1 to 32, and lower-case wherever a letter has a lower case.
 */
const SLASH_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SubcommandGroup = 2;

/** The locales Discord accepts as keys of a `*_localizations` dict (its Locales reference). */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set([
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
  'ar',
  'he',
]);

/** Where a command may be offered: 0 in servers, 1 in the bot's DM, 2 in DMs and group DMs. */
const CONTEXTS = [0, 1, 2];
/** How the app must be installed: 0 on a server, 1 on a user's account. */
const INTEGRATION_TYPES = [0, 1];

const isSlashName = (name: string) => SLASH_NAME.test(name) && name === name.toLowerCase();

/** What is wrong with a localization dict, or undefined: known locales, each text valid. */
function localizationsProblem(
  what: string,
  dict: Localizations | undefined,
  valid: (text: string) => boolean,
): string | undefined {
  if (dict === undefined || dict === null) return undefined;
  if (typeof dict !== 'object' || Array.isArray(dict)) return `${what} is not a locale dict`;
  for (const [locale, text] of Object.entries(dict)) {
    if (!DISCORD_LOCALES.has(locale)) return `${what}: "${locale}" is not a Discord locale`;
    if (typeof text !== 'string' || !valid(text))
      return `${what}[${locale}] "${String(text)}" is not valid`;
  }
  return undefined;
}

const lengthWithin = (max: number) => (text: string) => text.length >= 1 && text.length <= max;

function listProblem(what: string, list: number[] | null | undefined, allowed: number[]) {
  if (list === undefined || list === null) return undefined;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    new Set(list).size !== list.length ||
    list.some((value) => !allowed.includes(value))
  )
    return `${what} must be distinct values among ${allowed.join(', ')}`;
  return undefined;
}

/** What is wrong with a command's registration, or undefined. */
export function commandProblem(command: RegisteredCommand): string | undefined {
  const installed =
    listProblem('contexts', command.contexts, CONTEXTS) ??
    listProblem('integration_types', command.integration_types, INTEGRATION_TYPES);
  if (installed) return `${command.name}: ${installed}`;
  // Context-menu commands (type 2 user, 3 message): any name of up to 32, no description, no options.
  if (command.type === 2 || command.type === 3) {
    const anyName = (name: string) => /^.{1,32}$/u.test(name);
    if (!anyName(command.name)) return 'a context-menu name is 1 to 32 characters';
    const localized = localizationsProblem(
      `"${command.name}" name_localizations`,
      command.name_localizations,
      anyName,
    );
    if (localized) return localized;
    return command.description || command.description_localizations || command.options
      ? 'a context menu takes no description'
      : undefined;
  }
  const named = nameProblem(command);
  if (named) return named;
  const problem = optionsProblem(command.options, 'top');
  if (problem) return `${command.name}: ${problem}`;
  // Discord counts the characters of each language separately: a locale's own text where it has
  // one, the default text where not.
  const locales = [undefined, ...localesOf(command)];
  for (const locale of locales) {
    const total =
      textIn(command.name, command.name_localizations, locale).length +
      textIn(command.description, command.description_localizations, locale).length +
      optionCharacters(command.options, locale);
    if (total > LIMITS.totalCharacters)
      return `${command.name} has ${total} characters of names and descriptions${locale ? ` in ${locale}` : ''}, over ${LIMITS.totalCharacters}`;
  }
  return undefined;
}

/** A slash command's or option's name and description, and their localizations. */
function nameProblem(
  named: Pick<
    RegisteredOption,
    'name' | 'name_localizations' | 'description' | 'description_localizations'
  >,
): string | undefined {
  if (!isSlashName(named.name)) return `name "${named.name}" is not 1 to 32 lower-case`;
  const description = named.description ?? '';
  if (!lengthWithin(LIMITS.description)(description))
    return `description of "${named.name}" is not 1 to ${LIMITS.description} characters`;
  return (
    localizationsProblem(
      `"${named.name}" name_localizations`,
      named.name_localizations,
      isSlashName,
    ) ??
    localizationsProblem(
      `"${named.name}" description_localizations`,
      named.description_localizations,
      lengthWithin(LIMITS.description),
    )
  );
}

/** Every locale any text of the command is localized in. */
function localesOf(command: RegisteredCommand): Set<string> {
  const locales = new Set<string>();
  const add = (dict: Localizations | undefined) => {
    for (const locale of Object.keys(dict ?? {})) locales.add(locale);
  };
  add(command.name_localizations);
  add(command.description_localizations);
  const visit = (options: RegisteredOption[] | undefined) => {
    for (const option of options ?? []) {
      add(option.name_localizations);
      add(option.description_localizations);
      for (const choice of option.choices ?? []) add(choice.name_localizations);
      visit(option.options);
    }
  };
  visit(command.options);
  return locales;
}

function textIn(text: string, dict: Localizations | undefined, locale: string | undefined) {
  return (locale && dict?.[locale]) || text;
}

type Level = 'top' | 'group' | 'subcommand';

function optionsProblem(options: RegisteredOption[] | undefined, level: Level): string | undefined {
  if (!options) return undefined;
  if (options.length > LIMITS.options) return `more than ${LIMITS.options} options`;
  const nesting = options.filter(
    (option) => option.type === OptionType.Subcommand || option.type === SubcommandGroup,
  );
  if (nesting.length > 0 && nesting.length !== options.length)
    return 'subcommands cannot sit beside other options';
  if (level === 'group' && options.some((option) => option.type !== OptionType.Subcommand))
    return 'a subcommand group holds only subcommands';
  if (level === 'subcommand' && nesting.length > 0) return 'a subcommand cannot nest another';
  let optionalSeen = false;
  for (const option of options) {
    const problem = optionProblem(option);
    if (problem) return problem;
    if (option.required && optionalSeen)
      return `required option "${option.name}" comes after an optional one`;
    if (!option.required) optionalSeen = true;
    const inner =
      option.type === SubcommandGroup
        ? optionsProblem(option.options, 'group')
        : option.type === OptionType.Subcommand
          ? optionsProblem(option.options, 'subcommand')
          : option.options
            ? `option "${option.name}" cannot hold options`
            : undefined;
    if (inner) return `${option.name}: ${inner}`;
  }
  // Names must be distinct in every language, each locale's names where it has them.
  for (const locale of [
    undefined,
    ...new Set(options.flatMap((o) => Object.keys(o.name_localizations ?? {}))),
  ]) {
    const names = options.map((option) => textIn(option.name, option.name_localizations, locale));
    if (new Set(names).size !== names.length)
      return `two options share a name${locale ? ` in ${locale}` : ''}`;
  }
  return undefined;
}

function optionProblem(option: RegisteredOption): string | undefined {
  const named = nameProblem(option);
  if (named) return `option ${named}`;
  const choices = option.choices ?? [];
  if (choices.length > LIMITS.choices) return `"${option.name}" has over ${LIMITS.choices} choices`;
  const choiceName = lengthWithin(LIMITS.choiceName);
  if (choices.some((choice) => !choiceName(choice.name)))
    return `a choice name of "${option.name}" is not 1 to ${LIMITS.choiceName} characters`;
  for (const choice of choices) {
    const localized = localizationsProblem(
      `choice "${choice.name}" name_localizations`,
      choice.name_localizations,
      choiceName,
    );
    if (localized) return localized;
  }
  const { max_length: max } = option;
  if (
    max !== undefined &&
    (option.type !== OptionType.String || max < 1 || max > LIMITS.stringLength)
  )
    return `max_length of "${option.name}" must be 1 to ${LIMITS.stringLength} on a string`;
  if (option.channel_types && option.type !== OptionType.Channel)
    return `channel_types on "${option.name}", which is not a channel option`;
  return undefined;
}

function optionCharacters(options: RegisteredOption[] | undefined, locale?: string): number {
  return (options ?? []).reduce(
    (sum, option) =>
      sum +
      textIn(option.name, option.name_localizations, locale).length +
      textIn(option.description, option.description_localizations, locale).length +
      (option.choices ?? []).reduce(
        (inner, choice) =>
          inner +
          textIn(choice.name, choice.name_localizations, locale).length +
          String(choice.value).length,
        0,
      ) +
      optionCharacters(option.options, locale),
    0,
  );
}
