import type { RegisteredCommand, RegisteredOption } from './commands.js';
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

const SLASH_NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const SubcommandGroup = 2;

/** What is wrong with a command's registration, or undefined. */
export function commandProblem(command: RegisteredCommand): string | undefined {
  // Context-menu commands (type 2 user, 3 message): any name of up to 32, no description, no options.
  if (command.type === 2 || command.type === 3) {
    if (!/^.{1,32}$/u.test(command.name)) return 'a context-menu name is 1 to 32 characters';
    return command.description || command.options
      ? 'a context menu takes no description'
      : undefined;
  }
  if (!SLASH_NAME.test(command.name)) return `name "${command.name}" is not 1 to 32 lower-case`;
  const description = command.description ?? '';
  if (description.length < 1 || description.length > LIMITS.description)
    return `description of "${command.name}" is not 1 to ${LIMITS.description} characters`;
  const problem = optionsProblem(command.options, 'top');
  if (problem) return `${command.name}: ${problem}`;
  const total = command.name.length + description.length + optionCharacters(command.options);
  if (total > LIMITS.totalCharacters)
    return `${command.name} has ${total} characters of names and descriptions, over ${LIMITS.totalCharacters}`;
  return undefined;
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
  const names = options.map((option) => option.name);
  return new Set(names).size === names.length ? undefined : 'two options share a name';
}

function optionProblem(option: RegisteredOption): string | undefined {
  if (!SLASH_NAME.test(option.name))
    return `option name "${option.name}" is not 1 to 32 lower-case`;
  if (option.description.length < 1 || option.description.length > LIMITS.description)
    return `description of "${option.name}" is not 1 to ${LIMITS.description} characters`;
  const choices = option.choices ?? [];
  if (choices.length > LIMITS.choices) return `"${option.name}" has over ${LIMITS.choices} choices`;
  if (choices.some((choice) => choice.name.length < 1 || choice.name.length > LIMITS.choiceName))
    return `a choice name of "${option.name}" is not 1 to ${LIMITS.choiceName} characters`;
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

function optionCharacters(options: RegisteredOption[] | undefined): number {
  return (options ?? []).reduce(
    (sum, option) =>
      sum +
      option.name.length +
      option.description.length +
      (option.choices ?? []).reduce(
        (inner, choice) => inner + choice.name.length + String(choice.value).length,
        0,
      ) +
      optionCharacters(option.options),
    0,
  );
}
