/**
 * Registers the bot's slash commands with Discord:
 *
 *   npm run deploy-commands                         global; can take up to an hour to appear
 *   npm run deploy-commands -- --guild <server id>  one server, instantly; for testing
 *   npm run deploy-commands -- --guild <id> --clear removes the commands there instead
 *
 * Run it after the first setup and whenever a command changes. Needs DISCORD_TOKEN, and uses
 * DISCORD_API_URL like the bot does.
 */
import { existsSync, realpathSync } from 'node:fs';
import {
  REST,
  Routes,
  type APIApplication,
  type RESTPutAPIApplicationCommandsResult,
} from 'discord.js';
import { loadConfig } from '../src/config.js';
import { registrationPayloads } from '../src/platforms/discord/commands/index.js';

export interface DeployOptions {
  token: string;
  apiUrl: string;
  /** Register in one server only (instant) instead of globally. */
  guildId?: string;
  /** Remove every command there instead (e.g. the server copies left from testing with --guild). */
  clear?: boolean;
}

/** PUTs the full command list, so commands removed from the code disappear from Discord too. */
export async function deployDiscordCommands(
  options: DeployOptions,
): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  try {
    // The bot token identifies the application, so nobody has to copy its id into .env.
    const application = (await rest.get(Routes.currentApplication())) as APIApplication;
    const route = options.guildId
      ? Routes.applicationGuildCommands(application.id, options.guildId)
      : Routes.applicationCommands(application.id);
    const body = options.clear ? [] : registrationPayloads();
    return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

export function parseDeployArguments(args: readonly string[]): {
  guildId?: string;
  clear: boolean;
} {
  const clear = args.includes('--clear');
  const index = args.indexOf('--guild');
  if (index < 0) return { clear };
  const guildId = args[index + 1];
  if (!guildId || !/^\d{15,25}$/.test(guildId)) {
    throw new Error('--guild needs a server id (right-click the server → Copy Server ID)');
  }
  return { guildId, clear };
}

async function main(): Promise<void> {
  // Same rule as `npm start`: .env in the working directory, with the real environment winning.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  if (!config.DISCORD_TOKEN) {
    throw new Error('DISCORD_TOKEN is not set: put the bot token in .env first');
  }
  const { guildId, clear } = parseDeployArguments(process.argv.slice(2));
  const where = guildId ? `in server ${guildId}` : 'globally';
  const registered = await deployDiscordCommands({
    token: config.DISCORD_TOKEN,
    apiUrl: config.DISCORD_API_URL,
    guildId,
    clear,
  });
  if (clear) {
    process.stdout.write(`Removed the bot's commands ${where}.\n`);
    return;
  }
  const names = registered.map((command) => `/${command.name}`).join(', ');
  const when = guildId
    ? 'usable there now'
    : 'Discord may take up to an hour to show them everywhere';
  process.stdout.write(`Registered ${names} ${where}; ${when}.\n`);
}

if (process.argv[1] && import.meta.filename === realpathSync(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
