import {
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
} from 'discord.js';

/**
 * The interactions the bot answers, as Discord sends them (the gateway's INTERACTION_CREATE and the
 * HTTP endpoint's verified body are the same payload): a slash command, a message's context-menu
 * command ("Edit image"), a button or select, or a form (modal) sent.
 */
export type InteractionPayload =
  | APIChatInputApplicationCommandInteraction
  | APIMessageApplicationCommandInteraction
  | APIMessageComponentInteraction
  | APIModalSubmitInteraction;

const COMPONENT_TYPES: ReadonlySet<unknown> = new Set([
  ComponentType.Button,
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionsProblem(options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (!Array.isArray(options)) return 'options are not a list';
  for (const option of options as unknown[]) {
    if (!isObject(option) || typeof option.name !== 'string') return 'an option has no name';
    const inner = optionsProblem(option.options);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * What is wrong with a payload that is not an interaction the bot can answer, or undefined. Checked
 * before anything reads it, so a malformed one is refused (HTTP 400) instead of failing later.
 */
export function payloadProblem(payload: unknown): string | undefined {
  if (!isObject(payload)) return 'not a JSON object';
  if (typeof payload.id !== 'string' || !/^\d+$/.test(payload.id)) return 'no interaction id';
  if (typeof payload.application_id !== 'string') return 'no application_id';
  if (typeof payload.token !== 'string') return 'no token';
  if (!isObject(payload.data)) return 'no data';
  const member = isObject(payload.member) ? payload.member : undefined;
  const user = payload.user ?? member?.user;
  if (!isObject(user) || typeof user.id !== 'string') return 'no user';
  const channel = isObject(payload.channel) ? payload.channel : undefined;
  if (typeof (payload.channel_id ?? channel?.id) !== 'string') return 'no channel';
  const data = payload.data;
  switch (payload.type) {
    case InteractionType.ApplicationCommand:
      if (typeof data.name !== 'string') return 'no command name';
      if (data.type === ApplicationCommandType.Message) return messageCommandProblem(data);
      if (data.type !== ApplicationCommandType.ChatInput)
        return `unknown command type ${String(data.type)}`;
      return optionsProblem(data.options);
    case InteractionType.MessageComponent:
      if (!COMPONENT_TYPES.has(data.component_type))
        return `unknown component type ${String(data.component_type)}`;
      if (typeof data.custom_id !== 'string') return 'no custom_id';
      if (!isObject(payload.message)) return 'no message';
      return undefined;
    case InteractionType.ModalSubmit:
      if (typeof data.custom_id !== 'string') return 'no custom_id';
      if (!Array.isArray(data.components)) return 'no components';
      return undefined;
    default:
      return `unknown interaction type ${String(payload.type)}`;
  }
}

/** A message command names its message, which Discord includes in `resolved`. */
function messageCommandProblem(data: Record<string, unknown>): string | undefined {
  const resolved = isObject(data.resolved) ? data.resolved : undefined;
  const messages = isObject(resolved?.messages) ? resolved.messages : undefined;
  if (typeof data.target_id !== 'string' || !isObject(messages?.[data.target_id]))
    return 'no target message';
  return undefined;
}

export function userOf(payload: InteractionPayload): APIUser {
  return (payload.member?.user ?? payload.user)!;
}

export type CommandOptions = readonly APIApplicationCommandInteractionDataOption[];

/** The value of a slash command's option (or of its subcommand's, given that option list). */
export function optionValue(
  options: CommandOptions | undefined,
  name: string,
): string | number | boolean | undefined {
  const option = options?.find((candidate) => candidate.name === name);
  return option && 'value' in option ? option.value : undefined;
}

export function stringOption(options: CommandOptions | undefined, name: string): string | null {
  const value = optionValue(options, name);
  return typeof value === 'string' ? value : null;
}
