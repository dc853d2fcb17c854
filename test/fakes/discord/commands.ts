/** Slash-command registration as Discord keeps it, and the checks Discord's client does before sending one. */

export const OptionType = {
  Subcommand: 1,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Attachment: 11,
} as const;

/** Discord's `*_localizations`: text by Discord locale (`zh-CN`, `en-GB`…). */
export type Localizations = Record<string, string> | null;

export interface RegisteredOption {
  type: number;
  name: string;
  name_localizations?: Localizations;
  description: string;
  description_localizations?: Localizations;
  required?: boolean;
  choices?: Array<{ name: string; name_localizations?: Localizations; value: string | number }>;
  options?: RegisteredOption[];
  min_value?: number;
  max_value?: number;
  max_length?: number;
  channel_types?: number[];
}

export interface RegisteredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  name_localizations?: Localizations;
  description: string;
  description_localizations?: Localizations;
  options?: RegisteredOption[];
  default_member_permissions?: string | null;
  contexts?: number[] | null;
  /** Where the app must be installed for the command to be offered: 0 in a server, 1 on a user. */
  integration_types?: number[] | null;
  type?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  /** The language the person's Discord client is set to (every interaction's `locale`); en-US unless set. */
  locale?: string;
}

/** A file a person attaches (to a command option or a message): what the test "uploads". */
export interface FakeUpload {
  filename: string;
  /** What the client declares; Discord leaves it out when it cannot tell. */
  contentType?: string;
  bytes: Buffer;
}

/** A server role (Discord's @everyone role has the server's id). */
export interface FakeRole {
  id: string;
  name: string;
  kind: 'role';
}

/** A channel as a person picks it in an option (any FakeChannel fits). */
export interface PickedChannel {
  id: string;
  name: string;
  type: number;
  guildId: string | undefined;
}

export type OptionValue =
  string | number | boolean | FakeUser | FakeUpload | FakeRole | PickedChannel;

/** The users, channels and roles an interaction's options named: Discord's `data.resolved`. */
export interface ResolvedOptions {
  users: Map<string, FakeUser>;
  channels: Map<string, PickedChannel>;
  roles: Map<string, FakeRole>;
}

export function noneResolved(): ResolvedOptions {
  return { users: new Map(), channels: new Map(), roles: new Map() };
}

export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: InteractionOption[];
}

const isUser = (value: OptionValue): value is FakeUser =>
  typeof value === 'object' && 'username' in value;
const isUpload = (value: OptionValue): value is FakeUpload =>
  typeof value === 'object' && 'bytes' in value;
const isRole = (value: OptionValue): value is FakeRole =>
  typeof value === 'object' && 'kind' in value && value.kind === 'role';
const isChannel = (value: OptionValue): value is PickedChannel =>
  typeof value === 'object' && 'type' in value && 'guildId' in value;

/**
 * Turns what a person fills in into the interaction's `data.options`, refusing what Discord's own
 * client would not let them send (unknown option, wrong type, a value outside the choices).
 */
export function buildOptions(
  definitions: RegisteredOption[] | undefined,
  given: Record<string, OptionValue>,
  resolved: ResolvedOptions,
  where: string,
  /** Keeps an attached file where Discord's CDN serves it; returns its attachment id. */
  attach: (upload: FakeUpload) => string = () => {
    throw new Error(`${where}: attachments are not taken here`);
  },
): InteractionOption[] {
  const defs = definitions ?? [];
  for (const def of defs) {
    if (def.required && given[def.name] === undefined)
      throw new Error(`${where}: required option "${def.name}" missing`);
  }
  return Object.entries(given).map(([name, value]) => {
    const def = defs.find((candidate) => candidate.name === name);
    if (!def)
      throw new Error(
        `${where}: no option "${name}" is registered (have: ${defs.map((d) => d.name).join(', ')})`,
      );
    switch (def.type) {
      case OptionType.String:
        if (typeof value !== 'string') throw new Error(`${where}: option "${name}" takes a string`);
        if (def.max_length !== undefined && value.length > def.max_length)
          throw new Error(`${where}: "${name}" too long`);
        break;
      case OptionType.Integer:
        if (typeof value !== 'number' || !Number.isInteger(value))
          throw new Error(`${where}: option "${name}" takes an integer`);
        if (
          (def.min_value !== undefined && value < def.min_value) ||
          (def.max_value !== undefined && value > def.max_value)
        ) {
          throw new Error(`${where}: option "${name}" out of range`);
        }
        break;
      case OptionType.Boolean:
        if (typeof value !== 'boolean')
          throw new Error(`${where}: option "${name}" takes a boolean`);
        break;
      case OptionType.User:
        if (!isUser(value)) throw new Error(`${where}: option "${name}" takes a user`);
        resolved.users.set(value.id, value);
        return { name, type: def.type, value: value.id };
      case OptionType.Role:
        if (!isRole(value)) throw new Error(`${where}: option "${name}" takes a role`);
        resolved.roles.set(value.id, value);
        return { name, type: def.type, value: value.id };
      case OptionType.Channel:
        // The client lists only channels of the types the option names.
        if (!isChannel(value)) throw new Error(`${where}: option "${name}" takes a channel`);
        if (def.channel_types && !def.channel_types.includes(value.type))
          throw new Error(`${where}: "${name}" does not offer channels of type ${value.type}`);
        resolved.channels.set(value.id, value);
        return { name, type: def.type, value: value.id };
      case OptionType.Attachment:
        if (!isUpload(value)) throw new Error(`${where}: option "${name}" takes a file`);
        return { name, type: def.type, value: attach(value) };
      default:
        throw new Error(`${where}: the fake does not support option type ${def.type}`);
    }
    if (def.choices && !def.choices.some((choice) => choice.value === value)) {
      throw new Error(`${where}: "${String(value)}" is not a choice of "${name}"`);
    }
    return { name, type: def.type, value: value };
  });
}
