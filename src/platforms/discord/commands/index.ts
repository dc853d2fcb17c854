import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { SlashCommand } from '../context.js';
import history from './history.js';
import imagineAdmin from './imagine-admin.js';
import imagine from './imagine.js';
import quota from './quota.js';

/**
 * Every slash command, one file each. The adapter routes by name from here and the deploy script
 * registers exactly these payloads, so what Discord offers and what the bot handles never drift.
 */
export const commands: readonly SlashCommand[] = [imagine, quota, history, imagineAdmin];

export function commandsByName(): Map<string, SlashCommand> {
  return new Map(commands.map((command) => [command.data.name, command]));
}

export function registrationPayloads(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => command.data);
}
