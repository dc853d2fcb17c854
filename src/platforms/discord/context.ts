import type {
  APIChatInputApplicationCommandInteraction,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { ComponentAction } from './custom-id.js';
import type { DiscordInteraction } from './interaction.js';

export type CommandInteraction = DiscordInteraction<APIChatInputApplicationCommandInteraction>;
export type MessageCommandInteraction = DiscordInteraction<APIMessageApplicationCommandInteraction>;
export type ComponentInteraction = DiscordInteraction<APIMessageComponentInteraction>;
export type ModalSubmitInteraction = DiscordInteraction<APIModalSubmitInteraction>;

/**
 * One slash command: its registration payload and its handler (discord.js's create-discord-bot
 * shape). The handler acknowledges, then hands the conversation an intent.
 */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: CommandInteraction): Promise<void>;
}

/** A command in a message's context menu (Apps → "Edit image"), registered beside the slash commands. */
export interface MessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageCommandInteraction): Promise<void>;
}

export type BotCommand = SlashCommand | MessageCommand;

/** A button or select menu handler, found by the action prefix of the component's custom_id. */
export interface ComponentHandler {
  action: ComponentAction;
  execute(interaction: ComponentInteraction, requestId: string): Promise<void>;
}
