import { ApplicationCommandType, ComponentType, InteractionType } from 'discord.js';
import { commandsByName } from './commands/index.js';
import { componentsByAction } from './components/index.js';
import type {
  CommandInteraction,
  ComponentInteraction,
  MessageCommandInteraction,
  ModalSubmitInteraction,
} from './context.js';
import { parseCustomId } from './custom-id.js';
import { submitEditForm } from './edit-form.js';
import type { DiscordInteraction } from './interaction.js';

/** Runs an interaction's handler; undefined when the bot handles nothing of its kind (a user select). */
export type InteractionRouter = (interaction: DiscordInteraction) => Promise<void> | undefined;

const HANDLED_COMPONENTS: ReadonlySet<ComponentType> = new Set([
  ComponentType.Button,
  ComponentType.ChannelSelect,
  ComponentType.StringSelect,
]);

/**
 * Sends each interaction to its command or component file, found by command name or by the action
 * in the custom_id; a sent form to the edit form. One the bot cannot place (a button left by an
 * older version) is reported.
 */
export function createInteractionRouter(): InteractionRouter {
  const commands = commandsByName();
  const components = componentsByAction();

  return (interaction) => {
    const { payload } = interaction;
    if (payload.type === InteractionType.ApplicationCommand) {
      const command = commands.get(payload.data.name);
      if (!command || command.data.type !== payload.data.type)
        return interaction.fail(
          new Error(`no handler for command "${payload.data.name}"; redeploy the commands`),
        );
      return command.data.type === ApplicationCommandType.Message
        ? (command as { execute(i: MessageCommandInteraction): Promise<void> }).execute(
            interaction as MessageCommandInteraction,
          )
        : (command as { execute(i: CommandInteraction): Promise<void> }).execute(
            interaction as CommandInteraction,
          );
    }
    if (payload.type === InteractionType.ModalSubmit)
      return submitEditForm(interaction as ModalSubmitInteraction);
    const { component_type: type, custom_id: id } = payload.data;
    if (!HANDLED_COMPONENTS.has(type)) return undefined;
    const parsed = parseCustomId(id);
    const handler = parsed && components.get(parsed.action);
    if (!parsed || !handler) return interaction.fail(new Error(`no handler for component "${id}"`));
    return handler.execute(interaction as ComponentInteraction, parsed.requestId);
  };
}
