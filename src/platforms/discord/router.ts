import { ComponentType, InteractionType } from 'discord.js';
import { commandsByName } from './commands/index.js';
import { componentsByAction } from './components/index.js';
import type { CommandInteraction, ComponentInteraction } from './context.js';
import { parseCustomId } from './custom-id.js';
import type { DiscordInteraction } from './interaction.js';

/** Runs an interaction's handler; undefined when the bot handles nothing of its kind (a string select). */
export type InteractionRouter = (interaction: DiscordInteraction) => Promise<void> | undefined;

/**
 * Sends each interaction to its command or component file, found by command name or by the action
 * in the custom_id. One the bot cannot place (a button left by an older version) is reported.
 */
export function createInteractionRouter(): InteractionRouter {
  const commands = commandsByName();
  const components = componentsByAction();

  return (interaction) => {
    const { payload } = interaction;
    if (payload.type === InteractionType.ApplicationCommand) {
      const command = commands.get(payload.data.name);
      if (!command)
        return interaction.fail(
          new Error(`no handler for command /${payload.data.name}; redeploy the commands`),
        );
      return command.execute(interaction as CommandInteraction);
    }
    const { component_type: type, custom_id: id } = payload.data;
    if (type !== ComponentType.Button && type !== ComponentType.ChannelSelect) return undefined;
    const parsed = parseCustomId(id);
    const handler = parsed && components.get(parsed.action);
    if (!parsed || !handler) return interaction.fail(new Error(`no handler for component "${id}"`));
    return handler.execute(interaction as ComponentInteraction, parsed.requestId);
  };
}
