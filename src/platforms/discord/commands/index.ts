import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { BotCommand } from '../context.js';
import editImage from './edit-image.js';
import help from './help.js';
import history from './history.js';
import imagineAdmin from './imagine-admin.js';
import imagine from './imagine.js';
import { withTypedNames } from './localized.js';
import quota from './quota.js';

/**
 * Every command, slash or context menu, one file each. The adapter routes by name from here and the
 * deploy script registers exactly these payloads, so what Discord offers and what the bot handles
 * never drift.
 */
export const commands: readonly BotCommand[] = [
  imagine,
  quota,
  history,
  help,
  imagineAdmin,
  editImage,
];

export function commandsByName(): Map<string, BotCommand> {
  return new Map(commands.map((command) => [command.data.name, command]));
}

export function registrationPayloads(): RESTPostAPIApplicationCommandsJSONBody[] {
  return commands.map((command) => withTypedNames(command.data));
}
