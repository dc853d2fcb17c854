import {
  ApplicationCommandOptionType,
  ChannelType,
  type APIApplicationCommandBasicOption,
  type ApplicationCommandOptionAllowedChannelType,
  type APIApplicationCommandSubcommandOption,
} from 'discord.js';
import type { MessageKey } from '../../../../i18n/index.js';
import { described, labelledChoice } from '../localized.js';

/** More credits than any member or server could sensibly need (the settings allow more). */
export const MAX_CREDITS_OPTION = 100_000_000;
/** Channels or roles one `/imagine-admin channels|roles` call can name. */
export const LISTED_PER_CALL = 10;
/** The longest blocklist entry the command takes (a phrase or a `re:` expression). */
export const MAX_ENTRY_LENGTH = 200;

/** Channels where people can type a slash command: text, announcements, threads, voice chats. */
const CHAT_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
  ChannelType.GuildVoice,
];

/** `channel`, `channel-2` … `channel-10`: the option names of a list given in one call. */
export function listedNames(base: string): string[] {
  return Array.from({ length: LISTED_PER_CALL }, (_, index) =>
    index === 0 ? base : `${base}-${index + 1}`,
  );
}

/** The catalogue key of a subcommand, or of an option (and a choice) under it. */
function wordsOf(...path: string[]): MessageKey {
  return ['discord.command.imagine-admin', ...path].join('.') as MessageKey;
}

function subcommand(
  name: string,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    ...described(wordsOf(name)),
    options,
  };
}

function credits(key: MessageKey, name: string, required = false) {
  return {
    type: ApplicationCommandOptionType.Integer as const,
    name,
    ...described(key),
    required,
    min_value: 0,
    max_value: MAX_CREDITS_OPTION,
  };
}

function channel(key: MessageKey, name: string): APIApplicationCommandBasicOption {
  return {
    type: ApplicationCommandOptionType.Channel,
    name,
    ...described(key),
    channel_types: CHAT_CHANNELS,
  };
}

function role(key: MessageKey, name: string, required = false): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.Role, name, ...described(key), required };
}

/** A string option whose choices are labelled `<key>.<value>`; the value is what the handler gets. */
function choices(key: MessageKey, name: string, values: string[], required = true) {
  return {
    type: ApplicationCommandOptionType.String as const,
    name,
    ...described(key),
    required,
    choices: values.map((value) => labelledChoice(value, `${key}.${value}` as MessageKey)),
  };
}

const [firstChannel, ...moreChannels] = listedNames('channel');
const [firstRole, ...moreRoles] = listedNames('role');

/** Every `/imagine-admin` subcommand; each answer is private to the admin. */
export const ADMIN_SUBCOMMANDS: APIApplicationCommandSubcommandOption[] = [
  subcommand('settings'),
  subcommand('budget', [
    credits(wordsOf('budget', 'daily'), 'daily'),
    credits(wordsOf('budget', 'monthly'), 'monthly'),
    choices(wordsOf('budget', 'reset'), 'reset', ['daily', 'monthly', 'both'], false),
  ]),
  subcommand('channels', [
    choices(wordsOf('channels', 'mode'), 'mode', ['all', 'allow', 'deny']),
    channel(wordsOf('channels', 'channel'), firstChannel!),
    ...moreChannels.map((name) => channel(wordsOf('channels', 'channel', 'another'), name)),
  ]),
  subcommand('roles', [
    role(wordsOf('roles', 'role'), firstRole!),
    ...moreRoles.map((name) => role(wordsOf('roles', 'role', 'another'), name)),
  ]),
  subcommand('role-credits', [
    role(wordsOf('role-credits', 'role'), 'role', true),
    credits(wordsOf('role-credits', 'daily'), 'daily'),
  ]),
  subcommand('blocklist', [
    choices(wordsOf('blocklist', 'action'), 'action', ['add', 'remove', 'list']),
    {
      type: ApplicationCommandOptionType.String,
      name: 'entry',
      ...described(wordsOf('blocklist', 'entry')),
      max_length: MAX_ENTRY_LENGTH,
    },
  ]),
  subcommand('usage', [
    {
      type: ApplicationCommandOptionType.User,
      name: 'user',
      ...described(wordsOf('usage', 'user')),
    },
  ]),
  subcommand('export'),
  subcommand('audit-channel', [channel(wordsOf('audit-channel', 'channel'), 'channel')]),
  subcommand('credits', [
    {
      type: ApplicationCommandOptionType.User,
      name: 'user',
      ...described(wordsOf('credits', 'user')),
      required: true,
    },
    credits(wordsOf('credits', 'daily'), 'daily', true),
  ]),
];
