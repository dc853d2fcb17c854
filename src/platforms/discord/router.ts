import type { Interaction } from 'discord.js';
import { describeForUser, isUserError, newCorrelationId } from '../../core/errors.js';
import { commandsByName } from './commands/index.js';
import { componentsByAction } from './components/index.js';
import type { DiscordContext } from './context.js';
import { loggableError } from './api-errors.js';
import { parseCustomId } from './custom-id.js';
import { tellPrivately } from './replies.js';

/**
 * Sends each interaction to its command or component handler. A UserError becomes its catalogued
 * message, shown only to the person who acted; anything else becomes the generic message with a
 * correlation id that is also in the log line, so support can find it.
 */
export function createInteractionRouter(
  context: DiscordContext,
): (interaction: Interaction) => Promise<void> {
  const commands = commandsByName();
  const components = componentsByAction();

  return async (interaction) => {
    if (
      !interaction.isChatInputCommand() &&
      !interaction.isButton() &&
      !interaction.isChannelSelectMenu()
    )
      return;
    const name = interaction.isChatInputCommand()
      ? `/${interaction.commandName}`
      : interaction.customId;
    try {
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command)
          throw new Error(
            `no handler for command /${interaction.commandName}; redeploy the commands`,
          );
        await command.execute(interaction, context);
        return;
      }
      const parsed = parseCustomId(interaction.customId);
      const handler = parsed && components.get(parsed.action);
      if (!parsed || !handler)
        throw new Error(`no handler for component "${interaction.customId}"`);
      await handler.execute(interaction, parsed.requestId, context);
    } catch (error) {
      const correlationId = newCorrelationId();
      const { text } = describeForUser(error, correlationId);
      if (isUserError(error)) {
        context.logger.info(
          { interactionId: interaction.id, handler: name, code: error.code },
          'request refused',
        );
      } else {
        context.logger.error(
          {
            interactionId: interaction.id,
            handler: name,
            correlationId,
            err: loggableError(error),
          },
          'interaction failed',
        );
      }
      await tellPrivately(interaction, text).catch((replyError: unknown) =>
        context.logger.warn(
          { interactionId: interaction.id, correlationId, err: loggableError(replyError) },
          'could not tell the user',
        ),
      );
    }
  };
}
