/**
 * Registers the bot's slash commands and its message-menu command ("Edit image") with Discord:
 *
 *   npm run deploy-commands                         global; can take up to an hour to appear
 *   npm run deploy-commands -- --guild <server id>  one server, instantly; for testing
 *   npm run deploy-commands -- --guild <id> --clear removes the commands there instead
 *
 * Run it after the first setup and whenever a command changes. Needs only DISCORD_TOKEN (not the
 * image API key), and uses DISCORD_API_URL like the bot does.
 */
import { realpathSync } from 'node:fs';
import {
  ApplicationCommandType,
  REST,
  Routes,
  type APIApplication,
  type RESTPutAPIApplicationCommandsResult,
} from 'discord.js';
import { ConfigError, configSchema, loadDotEnv } from '../src/config.js';
import { registrationPayloads } from '../src/platforms/discord/commands/index.js';
import { explainDiscordFailure } from '../src/startup-failure.js';

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

/**
 * Only what registering commands uses: the bot token (which also identifies the application) and
 * the REST base. The image API key and the rest of the bot's configuration are not needed here.
 */
export function loadDeployConfig(env: NodeJS.ProcessEnv): { token: string; apiUrl: string } {
  const parsed = configSchema.pick({ DISCORD_TOKEN: true, DISCORD_API_URL: true }).safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  if (parsed.success && !parsed.data.DISCORD_TOKEN) {
    problems.push(
      'DISCORD_TOKEN is required: the bot token from the Bot page of your application in the Discord Developer Portal (docs/discord.md)',
    );
  }
  if (!parsed.success || !parsed.data.DISCORD_TOKEN) throw new ConfigError(problems);
  return { token: parsed.data.DISCORD_TOKEN, apiUrl: parsed.data.DISCORD_API_URL };
}

async function main(): Promise<void> {
  // Same rule as `npm start`: .env in the working directory, with the real environment winning.
  loadDotEnv();
  const { token, apiUrl } = loadDeployConfig(process.env);
  const { guildId, clear } = parseDeployArguments(process.argv.slice(2));
  const where = guildId ? `in server ${guildId}` : 'globally';
  let registered: RESTPutAPIApplicationCommandsResult;
  try {
    registered = await deployDiscordCommands({ token, apiUrl, guildId, clear });
  } catch (error) {
    throw new Error(`Could not register the commands: ${explainDiscordFailure(error, apiUrl)}`, {
      cause: error,
    });
  }
  if (clear) {
    process.stdout.write(`Removed the bot's commands ${where}.\n`);
    return;
  }
  // Context-menu commands (on a message) are named as the menu shows them.
  const names = registered
    .map((command) =>
      command.type === ApplicationCommandType.Message
        ? `"${command.name}" (message menu)`
        : `/${command.name}`,
    )
    .join(', ');
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
