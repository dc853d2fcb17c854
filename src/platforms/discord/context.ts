import type {
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ComponentAction } from './custom-id.js';
import type { DiscordInteraction } from './interaction.js';

export type CommandInteraction = DiscordInteraction<APIChatInputApplicationCommandInteraction>;
export type ComponentInteraction = DiscordInteraction<APIMessageComponentInteraction>;

/**
 * One slash command: its registration payload and its handler (discord.js's create-discord-bot
 * shape). The handler acknowledges, then hands the conversation an intent.
 */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: CommandInteraction): Promise<void>;
}

/** A button or select menu handler, found by the action prefix of the component's custom_id. */
export interface ComponentHandler {
  action: ComponentAction;
  execute(interaction: ComponentInteraction, requestId: string): Promise<void>;
}
