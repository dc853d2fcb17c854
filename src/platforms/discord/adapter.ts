import { Client, Events, REST, Routes, type Interaction, type RateLimitData } from 'discord.js';
import type { GenerationService } from '../../core/generation-service.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import type { PlatformAdapter } from '../adapter.js';
import { loggableError } from './api-errors.js';
import { DiscordDelivery } from './delivery.js';
import {
  createInteractionsEndpoint,
  discordPublicKey,
  INTERACTIONS_PATH,
  InteractionResponseRest,
} from './http-interactions.js';
import { createInteractionRouter } from './router.js';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base (DISCORD_API_URL); the gateway URL is whatever `GET /gateway/bot` there returns. */
  apiUrl: string;
  service: GenerationService;
  logger: Logger;
  /** How long start() waits for the gateway's READY before giving up. */
  readyTimeoutMs?: number;
  /**
   * Gateway sharding across processes (SHARD_COUNT, SHARD_IDS): this process connects only its
   * shards, so Discord sends it only their guilds' interactions. Unset: one shard, everything.
   */
  shards?: { count: number; ids?: readonly number[] };
  /**
   * HTTP interactions (DISCORD_PUBLIC_KEY): Discord POSTs interactions to `/discord/interactions`
   * on this server and the gateway is not connected at all; the token serves REST only.
   */
  httpInteractions?: { publicKey: string; http: HttpServer };
}

/**
 * Delivery's REST client gives up on a per-route rate limit instead of sleeping through it:
 * DeliveryError RATE_LIMITED carries Discord's retry_after to core, whose retry schedule (and our
 * EditPacer) decides what is worth sending later, so a stale "generating…" edit is never queued up
 * behind a limit. Global limits last well under a second and are simply waited out.
 * Interaction replies keep discord.js's default (wait and retry): they are one-off and short.
 */
function rejectRouteLimits(limit: RateLimitData): boolean {
  return !limit.global;
}

/** The Discord platform: gateway connection, slash commands and buttons in, job views out. */
export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord';
  readonly delivery: DiscordDelivery;
  private readonly client: Client;
  private readonly deliveryRest: REST;
  private readonly logger: Logger;
  private readonly handling = new Map<string, Promise<void>>();
  private stopping = false;
  private started = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.logger = options.logger.child({ platform: 'discord' });
    // Interactions need no gateway intents: they arrive on every connection.
    this.client = new Client({
      intents: [],
      rest: { api: options.apiUrl },
      // Given explicitly, so discord.js never falls back to its own SHARDS/SHARD_COUNT env reading.
      ...(options.shards
        ? {
            shardCount: options.shards.count,
            shards: [
              ...(options.shards.ids ??
                Array.from({ length: options.shards.count }, (_, index) => index)),
            ],
          }
        : {}),
    });
    this.deliveryRest = new REST({
      api: options.apiUrl,
      rejectOnRateLimit: rejectRouteLimits,
    }).setToken(options.token);
    this.delivery = new DiscordDelivery({
      rest: this.deliveryRest,
      logger: this.logger,
      fetcher: options.service.fetcher,
    });
    if (options.httpInteractions) this.acceptHttpInteractions(options.httpInteractions);
    const route = createInteractionRouter({ service: options.service, logger: this.logger });
    this.client.on(Events.InteractionCreate, (interaction) => this.receive(interaction, route));
    this.client.on(Events.Error, (error) =>
      this.logger.error({ err: loggableError(error) }, 'discord.js client error'),
    );
    this.client.on(Events.ShardDisconnect, (event) =>
      this.logger.warn({ code: event.code }, 'gateway disconnected'),
    );
    this.client.on(Events.ShardResume, () => this.logger.info('gateway session resumed'));
  }

  /**
   * Interactions arrive over HTTP instead of the gateway. The client is never logged in: it only
   * builds Interaction objects from the payloads and makes REST calls, so the same router and
   * handlers serve both transports.
   */
  private acceptHttpInteractions({ publicKey, http }: { publicKey: string; http: HttpServer }) {
    const rest = new InteractionResponseRest(this.client.options.rest).setToken(this.options.token);
    this.client.rest = rest;
    http.route(
      INTERACTIONS_PATH,
      createInteractionsEndpoint({
        publicKey: discordPublicKey(publicKey),
        client: this.client,
        rest,
        logger: this.logger,
        isStopping: () => this.stopping,
      }),
    );
  }

  async start(): Promise<void> {
    if (this.options.httpInteractions) {
      if (this.options.shards)
        this.logger.warn(
          'SHARD_COUNT and SHARD_IDS are ignored: HTTP interactions need no gateway',
        );
      // No gateway login here, so ask Discord once whether the token is good: a rejected or
      // unreachable Discord should stop start-up, not surface later as undelivered results.
      await this.deliveryRest.get(Routes.currentApplication());
      this.started = true;
      this.logger.info(
        { path: INTERACTIONS_PATH },
        'accepting Discord interactions over HTTP (no gateway connection)',
      );
      return;
    }
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Discord gateway not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.client.once(Events.ClientReady, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await this.client.login(this.options.token);
    await ready;
    this.logger.info(
      {
        user: this.client.user?.tag,
        applicationId: this.client.application?.id,
        shards: this.client.options.shards,
        shardCount: this.client.options.shardCount,
      },
      'connected to Discord',
    );
  }

  /** Stops taking interactions, lets those being handled finish their replies, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.handling.values()]);
    await this.client.destroy();
    this.deliveryRest.clearHashSweeper();
    this.deliveryRest.clearHandlerSweeper();
  }

  isReady(): boolean {
    if (this.options.httpInteractions) return !this.stopping && this.started;
    return !this.stopping && this.client.isReady();
  }

  /**
   * A redelivered interaction (gateway replay, double dispatch) that is still being handled is
   * dropped here; one arriving later finds its job by id in the store and starts nothing.
   */
  private receive(
    interaction: Interaction,
    route: (interaction: Interaction) => Promise<void>,
  ): void {
    if (this.stopping) return;
    if (this.handling.has(interaction.id)) {
      this.logger.info({ interactionId: interaction.id }, 'duplicate interaction ignored');
      return;
    }
    const work = route(interaction).finally(() => this.handling.delete(interaction.id));
    this.handling.set(interaction.id, work);
  }
}
