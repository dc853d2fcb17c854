import type { AdapterContext, PlatformAdapter } from './adapter.js';

/** Builds the adapter of every platform the configuration names. */
export async function createPlatformAdapters(context: AdapterContext): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  const discordToken = context.config.DISCORD_TOKEN;
  if (discordToken) {
    // Loaded only when configured, so a Slack-only deployment never pays for discord.js.
    const { DiscordAdapter } = await import('./discord/adapter.js');
    const { config, service, logger } = context;
    adapters.push(
      new DiscordAdapter({
        token: discordToken,
        apiUrl: config.DISCORD_API_URL,
        service,
        logger,
        editing: context.editing,
        controls: context.controls,
        defaultLocale: config.DEFAULT_LOCALE,
        ...(config.SHARD_COUNT
          ? {
              shards: {
                count: config.SHARD_COUNT,
                ...(config.SHARD_IDS ? { ids: config.SHARD_IDS } : {}),
              },
            }
          : {}),
        ...(config.DISCORD_PUBLIC_KEY
          ? { httpInteractions: { publicKey: config.DISCORD_PUBLIC_KEY, http: context.http } }
          : {}),
      }),
    );
  }
  if (context.config.SLACK_BOT_TOKEN) {
    // Loaded only when configured, so a Discord-only deployment never pays for Bolt.
    const { SlackAdapter } = await import('./slack/adapter.js');
    adapters.push(new SlackAdapter(context));
  }
  const chatPlatform = Boolean(context.config.DISCORD_TOKEN || context.config.SLACK_BOT_TOKEN);
  // Explicitly on: beside the chat platforms; otherwise only as a fallback.
  if (context.config.PLAYGROUND ?? !chatPlatform) {
    const { PlaygroundAdapter } = await import('./playground/adapter.js');
    adapters.push(
      new PlaygroundAdapter({
        ...context,
        simulatedImageApi: context.simulatedImageApi ?? false,
      }),
    );
  }
  return adapters;
}
