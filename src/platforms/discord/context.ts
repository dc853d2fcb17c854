import type {
  ButtonInteraction,
  ChannelSelectMenuInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { GenerationService } from '../../core/generation-service.js';
import type { Logger } from '../../log.js';
import type { ComponentAction } from './custom-id.js';

/** What every command and component handler may use: the core's front door and the log. */
export interface DiscordContext {
  service: GenerationService;
  logger: Logger;
}

/** One slash command: its registration payload and its handler (discord.js's create-discord-bot shape). */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: DiscordContext): Promise<void>;
}

export type ComponentInteraction = ButtonInteraction | ChannelSelectMenuInteraction;

/** A button or select menu handler, found by the action prefix of the component's custom_id. */
export interface ComponentHandler {
  action: ComponentAction;
  execute(
    interaction: ComponentInteraction,
    requestId: string,
    context: DiscordContext,
  ): Promise<void>;
}
