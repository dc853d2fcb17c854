import {
  ApplicationCommandOptionType,
  ChannelType,
  type APIApplicationCommandBasicOption,
  type ApplicationCommandOptionAllowedChannelType,
  type APIApplicationCommandSubcommandOption,
} from 'discord.js';

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

function subcommand(
  name: string,
  description: string,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return { type: ApplicationCommandOptionType.Subcommand, name, description, options };
}

function credits(name: string, description: string, required = false) {
  return {
    type: ApplicationCommandOptionType.Integer as const,
    name,
    description,
    required,
    min_value: 0,
    max_value: MAX_CREDITS_OPTION,
  };
}

function channel(name: string, description: string): APIApplicationCommandBasicOption {
  return {
    type: ApplicationCommandOptionType.Channel,
    name,
    description,
    channel_types: CHAT_CHANNELS,
  };
}

function role(
  name: string,
  description: string,
  required = false,
): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.Role, name, description, required };
}

function choices(name: string, description: string, values: string[], required = true) {
  return {
    type: ApplicationCommandOptionType.String as const,
    name,
    description,
    required,
    choices: values.map((value) => ({ name: value, value })),
  };
}

const [firstChannel, ...moreChannels] = listedNames('channel');
const [firstRole, ...moreRoles] = listedNames('role');

/** Every `/imagine-admin` subcommand; each answer is private to the admin. */
export const ADMIN_SUBCOMMANDS: APIApplicationCommandSubcommandOption[] = [
  subcommand('settings', "Show this server's image settings"),
  subcommand('budget', "Cap the server's credits per day or month", [
    credits('daily', 'Credits the whole server may spend per UTC day (0 stops generating)'),
    credits('monthly', 'Credits the whole server may spend per calendar month (UTC)'),
    choices('reset', "Go back to the operator's cap", ['daily', 'monthly', 'both'], false),
  ]),
  subcommand('channels', 'Choose the channels where /imagine works (replaces the list)', [
    choices('mode', 'all: everywhere; allow: only these; deny: all but these', [
      'all',
      'allow',
      'deny',
    ]),
    channel(firstChannel!, 'A channel for the list'),
    ...moreChannels.map((name) => channel(name, 'Another channel')),
  ]),
  subcommand('roles', 'Only members with one of these roles may generate (none: everyone)', [
    role(firstRole!, 'A role allowed to generate'),
    ...moreRoles.map((name) => role(name, 'Another role')),
  ]),
  subcommand('role-credits', "Set a role's daily credits per member (highest role applies)", [
    role('role', 'The role', true),
    credits('daily', 'Credits per member per day (leave empty to remove)'),
  ]),
  subcommand('blocklist', 'Block prompts with a word, phrase or re:regular expression', [
    choices('action', 'add, remove, or list the entries', ['add', 'remove', 'list']),
    {
      type: ApplicationCommandOptionType.String,
      name: 'entry',
      description: 'A word, a phrase, or re: and a regular expression',
      max_length: MAX_ENTRY_LENGTH,
    },
  ]),
  subcommand('usage', "Credits spent with a chart, or a member's credits today", [
    { type: ApplicationCommandOptionType.User, name: 'user', description: 'The member (optional)' },
  ]),
  subcommand('export', 'Download the audit trail as a CSV file'),
  subcommand('audit-channel', 'Post each generation as one line in a channel', [
    channel('channel', 'The channel (leave empty to stop posting)'),
  ]),
  subcommand('credits', 'Set how many credits a member may spend per day', [
    {
      type: ApplicationCommandOptionType.User,
      name: 'user',
      description: 'The member',
      required: true,
    },
    credits('daily', 'Credits per day (1K costs least; 0 blocks the member)', true),
  ]),
];
