import {
  Client,
  Events,
  GatewayDispatchEvents,
  REST,
  Routes,
  type GatewayDispatchPayload,
  type RateLimitData,
} from 'discord.js';
import type { EditingSupport, OperatorControls } from '../../conversation/context.js';
import { Conversation } from '../../conversation/index.js';
import type { GenerationService } from '../../core/generation-service.js';
import type { HttpServer } from '../../http/server.js';
import type { Locale } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import type { PlatformAdapter } from '../adapter.js';
import { loggableError } from './api-errors.js';
import { auditLine } from './audit-line.js';
import { DiscordDelivery } from './delivery.js';
import {
  createInteractionsEndpoint,
  discordPublicKey,
  INTERACTIONS_PATH,
} from './http-interactions.js';
import { DiscordInteraction, type DiscordServices } from './interaction.js';
import { payloadProblem, type InteractionPayload } from './payload.js';
import { RestResponder, type InteractionResponder } from './responder.js';
import { createInteractionRouter } from './router.js';
import { discordWording } from './wording.js';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base (DISCORD_API_URL); the gateway URL is whatever `GET /gateway/bot` there returns. */
  apiUrl: string;
  service: GenerationService;
  logger: Logger;
  editing: EditingSupport;
  controls: OperatorControls;
  /** DEFAULT_LOCALE: the language of people whose own Discord does not say or the bot does not speak. */
  defaultLocale?: Locale;
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
 * DeliveryError RATE_LIMITED carries Discord's retry_after to core, whose retry schedule (and
 * PacedDelivery) decides what is worth sending later, so a stale "generating…" edit is never queued
 * up behind a limit. Global limits last well under a second and are simply waited out.
 * Interaction replies keep discord.js's default (wait and retry): they are one-off and short.
 */
function rejectRouteLimits(limit: RateLimitData): boolean {
  return !limit.global;
}

/**
 * The Discord platform. Interactions arrive as raw payloads, from the gateway's INTERACTION_CREATE
 * dispatches or from Discord's signed HTTP POSTs, and are translated the same way into the
 * conversation; job views go out through the Delivery.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord';
  readonly delivery: DiscordDelivery;
  /** Only over the gateway: the connection (and its shards). */
  private readonly client: Client | undefined;
  private readonly rest: REST;
  private readonly deliveryRest: REST;
  private readonly logger: Logger;
  private readonly services: DiscordServices;
  private readonly route = createInteractionRouter();
  /** Interactions being translated and answered, so a stop lets them finish. */
  private readonly working = new Set<Promise<void>>();
  private stopping = false;
  private started = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.logger = options.logger.child({ platform: 'discord' });
    this.rest = new REST({ api: options.apiUrl }).setToken(options.token);
    this.deliveryRest = new REST({
      api: options.apiUrl,
      rejectOnRateLimit: rejectRouteLimits,
    }).setToken(options.token);
    this.delivery = new DiscordDelivery({
      rest: this.deliveryRest,
      logger: this.logger,
      fetcher: options.service.fetcher,
    });
    this.services = {
      conversation: new Conversation({
        service: options.service,
        logger: this.logger,
        profile: { platform: 'discord', wording: discordWording, loggable: loggableError },
        editing: options.editing,
        controls: options.controls,
        defaultLocale: options.defaultLocale ?? 'en',
      }),
      rest: this.rest,
      logger: this.logger,
      fetcher: options.service.fetcher,
      defaultLocale: options.defaultLocale ?? 'en',
    };
    // A server's audit channel gets one line per generation, posted as the bot.
    options.controls.auditFeed.register('discord', async (channelId, event) => {
      await this.rest.post(Routes.channelMessages(channelId), {
        body: auditLine(event, options.defaultLocale ?? 'en'),
      });
    });
    if (options.httpInteractions) {
      this.acceptHttpInteractions(options.httpInteractions);
      this.client = undefined;
    } else {
      this.client = this.gatewayClient();
    }
  }

  private gatewayClient(): Client {
    const { shards, apiUrl } = this.options;
    // Interactions need no gateway intents: they arrive on every connection.
    const client = new Client({
      intents: [],
      rest: { api: apiUrl },
      // Given explicitly, so discord.js never falls back to its own SHARDS/SHARD_COUNT env reading.
      ...(shards
        ? {
            shardCount: shards.count,
            shards: [...(shards.ids ?? Array.from({ length: shards.count }, (_, index) => index))],
          }
        : {}),
    });
    client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
      if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
      const problem = payloadProblem(packet.d);
      if (problem) {
        this.logger.warn({ problem }, 'ignored a gateway interaction the bot cannot handle');
        return;
      }
      const payload = packet.d as InteractionPayload;
      this.receive(
        payload,
        new RestResponder(this.rest, {
          id: payload.id,
          token: payload.token,
          applicationId: payload.application_id,
        }),
      );
    });
    client.on(Events.Error, (error) =>
      this.logger.error({ err: loggableError(error) }, 'discord.js client error'),
    );
    client.on(Events.ShardDisconnect, (event) =>
      this.logger.warn({ code: event.code }, 'gateway disconnected'),
    );
    client.on(Events.ShardResume, () => this.logger.info('gateway session resumed'));
    return client;
  }

  /** Interactions arrive over HTTP instead of the gateway, which is never connected. */
  private acceptHttpInteractions({ publicKey, http }: { publicKey: string; http: HttpServer }) {
    http.route(
      INTERACTIONS_PATH,
      createInteractionsEndpoint({
        publicKey: discordPublicKey(publicKey),
        rest: this.rest,
        logger: this.logger,
        isStopping: () => this.stopping,
        receive: (payload, responder) => this.receive(payload, responder),
      }),
    );
  }

  async start(): Promise<void> {
    const client = this.client;
    if (!client) {
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
      client.once(Events.ClientReady, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await client.login(this.options.token);
    await ready;
    this.logger.info(
      {
        user: client.user?.tag,
        applicationId: client.application?.id,
        shards: client.options.shards,
        shardCount: client.options.shardCount,
      },
      'connected to Discord',
    );
  }

  /** Stops taking interactions, lets those being handled finish their replies, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.working]);
    await this.client?.destroy();
    for (const rest of [this.rest, this.deliveryRest]) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  }

  isReady(): boolean {
    if (!this.client) return !this.stopping && this.started;
    return !this.stopping && this.client.isReady();
  }

  /** Starts handling one interaction; false when nothing handles its kind. */
  private receive(payload: InteractionPayload, responder: InteractionResponder): boolean {
    if (this.stopping) return true;
    const work = this.route(new DiscordInteraction(payload, responder, this.services));
    if (!work) return false;
    const settled = work
      .catch((error: unknown) =>
        this.logger.error(
          { interactionId: payload.id, err: loggableError(error) },
          'could not answer a Discord interaction',
        ),
      )
      .finally(() => this.working.delete(settled));
    this.working.add(settled);
    return true;
  }
}
