import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, type ParsedBody } from './body.js';
import {
  buildOptions,
  noneResolved,
  type FakeRole,
  type FakeUpload,
  type FakeUser,
  type OptionValue,
  type RegisteredCommand,
} from './commands.js';
import { modalInputs } from './limits.js';
import { ApiFailure } from './api-failure.js';
import { FakeCdn } from './cdn.js';
import { FakeGateway } from './gateway.js';
import { InteractionHandle } from './handle.js';
import { MessageStore } from './message-store.js';
import { apiMember, apiMessage, apiUser, MEMBER_PERMISSIONS, Permission } from './payloads.js';
import { resolvedPayload } from './resolved.js';
import { FakeRest } from './rest.js';
import { snowflake } from './snowflake.js';
import {
  current,
  type FakeAttachment,
  type FakeChannel,
  type FakeInteraction,
  type FakeMessage,
} from './state.js';

export interface DiscordFakeOptions {
  /** The bot token the fake accepts (REST `Authorization: Bot …` and gateway IDENTIFY). */
  token?: string;
  /** Discord's rule: an interaction must be answered within 3 s. */
  callbackDeadlineMs?: number;
  /** Discord's rule: interaction tokens work for 15 minutes. */
  tokenTtlMs?: number;
  /** Upload limit per file; Discord's default for a server without boosts is 10 MiB. */
  attachmentSizeLimit?: number;
  /** What `GET /gateway/bot` recommends as the number of shards (Discord: one per ~1,000 guilds). */
  recommendedShards?: number;
  /**
   * How long an enforced nonce is remembered. Discord says only "the past few minutes", so a bot
   * may count on a quick retry being recognised, never on a late one.
   */
  nonceWindowMs?: number;
}

export interface RateLimitRule {
  method?: string;
  /** Matched against the path after `/api/v10`, e.g. /^\/webhooks\//. */
  path: RegExp;
  retryAfterMs: number;
  times?: number;
}

/** Discord having a bad moment: the matching requests get this 5xx instead of an answer. */
export interface ServerErrorRule {
  method?: string;
  path: RegExp;
  status: 500 | 502 | 503 | 504;
  times?: number;
}

/**
 * The bot's next matching request is taken in and never answered, as when the bot dies waiting
 * for it: with `applied`, Discord carried it out first; without, it was lost on the way.
 */
export interface HoldRule {
  method?: string;
  path: RegExp;
  /** Only requests whose body passes, e.g. the edit that uploads a file. */
  body?: (body: ParsedBody) => boolean;
  applied: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  errorCode?: number;
  at: number;
}

export interface CommandInput {
  name: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  user: FakeUser;
  /** Omit for a DM with the bot. */
  guildId?: string;
  channelId?: string;
  memberPermissions?: bigint;
  /** The member's roles in the server (without @everyone, which Discord leaves out). */
  memberRoles?: string[];
  attachmentSizeLimit?: number;
  /** A server admin granted this member the command in Server Settings → Integrations. */
  grantedByServerSettings?: boolean;
  /**
   * Which install of the app the person uses: the server's (default, where the bot is a member)
   * or their own account's (a user install; the only one in a server without the bot).
   */
  installation?: 'guild' | 'user';
}

/** The bot's Interactions Endpoint URL and the application's signing key (Discord's side of it). */
export interface InteractionsEndpoint {
  url: string;
  privateKey: KeyObject;
}

/** Ways to spoil an HTTP delivery, to prove the bot refuses what Discord did not send. */
export type HttpTampering = 'forged-signature' | 'stale-timestamp';

export interface EndpointResponse {
  interactionId: string | undefined;
  status: number;
  body: unknown;
  at: number;
}

export interface ComponentInput {
  user: FakeUser;
  memberPermissions?: bigint;
  attachmentSizeLimit?: number;
}

/** A person's own message: text, files they upload with it, and embeds (a link's preview). */
export interface UserMessageInput {
  user: FakeUser;
  channelId?: string;
  content?: string;
  files?: FakeUpload[];
  embeds?: Array<Record<string, unknown>>;
}

/** What a person uploads may be larger than what a bot may (Nitro: 500 MiB). */
const PERSON_UPLOAD_LIMIT = 500 * 1024 * 1024;
const API_PREFIX = '/api/v10';
const DEFAULT_GUILD = '100000000000000001';
const DEFAULT_CHANNEL = '100000000000000002';
const MiB = 1024 * 1024;

/**
 * A fake of Discord's REST API and gateway on 127.0.0.1 that the real discord.js Client logs into.
 * It keeps every message with its full edit history and enforces the rules a bot must live by:
 * the 3 s callback deadline, one callback per interaction, token expiry, upload limits and 429s.
 */
export class DiscordFake {
  readonly applicationId = snowflake();
  readonly bot: FakeUser = { id: snowflake(), username: 'gpt-image-bot' };
  readonly token: string;
  readonly defaultGuildId = DEFAULT_GUILD;
  readonly defaultChannelId = DEFAULT_CHANNEL;
  callbackDeadlineMs: number;
  tokenTtlMs: number;
  attachmentSizeLimit: number;
  readonly recommendedShards: number;
  nonceWindowMs: number;
  readonly interactions = new Map<string, FakeInteraction>();
  /** Every message with its edit history; `messages` is its map, for lookups by id. */
  readonly store = new MessageStore(() => this.origin);
  readonly channels = new Map<string, FakeChannel>();
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();
  /** A server's primary language (Server Settings → Community), sent as `guild_locale`; en-US unless set. */
  readonly guildLocales = new Map<string, string>();
  /** Servers the bot is not a member of (people there can still use a user install). */
  readonly serversWithoutBot = new Set<string>();
  /**
   * Servers that let members use external apps only privately (Use External Apps denied):
   * Discord makes every answer of a user-installed app there ephemeral.
   */
  readonly externalAppsPrivate = new Set<string>();
  /** Message attachments and files attached to commands, served at their CDN paths. */
  readonly cdn = new FakeCdn(
    (channelId) => this.messagesIn(channelId),
    () => this.origin,
  );
  /** Every REST call: tests assert on routes and statuses; unknown routes show up as 404 here. */
  readonly requests: RecordedRequest[] = [];
  /**
   * Set: interactions are POSTed, signed, to the bot's endpoint (Discord's outgoing webhook)
   * instead of being dispatched on the gateway, and the HTTP response is the initial callback.
   */
  interactionsEndpoint: InteractionsEndpoint | undefined;
  /** Applied to every HTTP delivery while set. */
  httpTampering: HttpTampering | undefined;
  /** Every answer the bot's endpoint gave, in order. */
  readonly endpointResponses: EndpointResponse[] = [];
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly serverErrors: ServerErrorRule[] = [];
  private readonly holds: Array<HoldRule & { reached: () => void }> = [];
  private readonly payloads = new Map<string, Record<string, unknown>>();
  private readonly server: Server;
  private readonly gateway: FakeGateway;
  private readonly rest = new FakeRest(this);
  private origin = '';

  constructor(options: DiscordFakeOptions = {}) {
    this.token = options.token ?? 'fake-token';
    this.callbackDeadlineMs = options.callbackDeadlineMs ?? 3_000;
    this.tokenTtlMs = options.tokenTtlMs ?? 15 * 60_000;
    this.attachmentSizeLimit = options.attachmentSizeLimit ?? 10 * MiB;
    this.recommendedShards = options.recommendedShards ?? 1;
    this.nonceWindowMs = options.nonceWindowMs ?? 2 * 60_000;
    this.server = createServer((request, response) => void this.handle(request, response));
    this.gateway = new FakeGateway({
      server: this.server,
      token: this.token,
      botUser: this.bot,
      applicationId: this.applicationId,
      url: () => this.gatewayUrl,
    });
    this.addChannel({ id: DEFAULT_CHANNEL, guildId: DEFAULT_GUILD, name: 'general' });
  }

  get messages(): Map<string, FakeMessage> {
    return this.store.messages;
  }

  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get gatewayUrl(): string {
    return this.origin.replace(/^http/, 'ws');
  }

  get identifyCount(): number {
    return this.gateway.identifyCount;
  }

  get resumeCount(): number {
    return this.gateway.resumeCount;
  }

  /** The `[shard_id, num_shards]` each connected bot session identified with. */
  get sessionShards(): Array<[number, number]> {
    return this.gateway.sessionShards;
  }

  /**
   * A new guild, with a channel, whose events belong to `shardId` of `shardCount`: its snowflake
   * is chosen so `(id >> 22) % shardCount` lands there.
   */
  addGuildOnShard(shardId: number, shardCount: number): { guildId: string; channelId: string } {
    let id = BigInt(snowflake());
    const shift = BigInt(shardId) - ((id >> 22n) % BigInt(shardCount));
    id += ((shift + BigInt(shardCount)) % BigInt(shardCount)) << 22n;
    const guildId = id.toString();
    const channel = this.addChannel({ name: `general-${shardId}`, guildId });
    return { guildId, channelId: channel.id };
  }

  /**
   * A network failure between the bot and the gateway: connections cut, sessions resumable. With
   * `redeliver`, the resume also replays that many events the bot had already received.
   */
  dropGatewayConnections(options: { redeliver?: number } = {}): void {
    this.gateway.dropConnections(options.redeliver);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  waitForBot(timeoutMs?: number): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }

  /** A person; `locale` is their Discord client's language (en-US unless given). */
  user(username: string, options: { locale?: string } = {}): FakeUser {
    return { id: snowflake(), username, ...(options.locale ? { locale: options.locale } : {}) };
  }

  addChannel(channel: Partial<FakeChannel> & { name: string }): FakeChannel {
    const full: FakeChannel = {
      id: channel.id ?? snowflake(),
      guildId: 'guildId' in channel ? channel.guildId : DEFAULT_GUILD,
      name: channel.name,
      type: channel.type ?? 0,
      botCanPost: channel.botCanPost ?? true,
      ...(channel.recipientId ? { recipientId: channel.recipientId } : {}),
      ...(channel.parentId ? { parentId: channel.parentId } : {}),
    };
    this.channels.set(full.id, full);
    return full;
  }

  /** A server the bot was never added to, with a channel; people there may have installed the app. */
  addServerWithoutBot(name = 'elsewhere'): { guildId: string; channelId: string } {
    const guildId = snowflake();
    this.serversWithoutBot.add(guildId);
    const channel = this.addChannel({ name, guildId, botCanPost: false });
    return { guildId, channelId: channel.id };
  }

  /** A DM or group DM between people (not with the bot), where only a user install works. */
  addPrivateChannel(name = 'friends'): FakeChannel {
    return this.addChannel({ name, guildId: undefined, type: 3, botCanPost: false });
  }

  /** A role in a server (ids are snowflakes; a server's @everyone role has the server's id). */
  role(name: string): FakeRole {
    return { id: snowflake(), name, kind: 'role' };
  }

  /** The next matching REST calls answer 429 with `retry_after`, the way a real bucket does. */
  rateLimit(rule: RateLimitRule): void {
    this.rateLimits.push({ times: 1, ...rule });
  }

  serverError(rule: ServerErrorRule): void {
    this.serverErrors.push({ times: 1, ...rule });
  }

  /** Holds the next matching request (see HoldRule); resolves once it has arrived (and been applied). */
  holdNext(rule: HoldRule): Promise<void> {
    return new Promise((reached) => this.holds.push({ ...rule, reached }));
  }

  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter(
      (message) => message.channelId === channelId && !message.deleted,
    );
  }

  dmChannelOf(userId: string): FakeChannel | undefined {
    return [...this.channels.values()].find(
      (channel) => channel.type === 1 && channel.recipientId === userId,
    );
  }

  /** A person runs a slash command: checked against the registered definition, then dispatched. */
  async runCommand(input: CommandInput): Promise<InteractionHandle> {
    const guildId = 'guildId' in input ? input.guildId : DEFAULT_GUILD;
    const command =
      (guildId
        ? this.guildCommands.get(guildId)?.find((candidate) => candidate.name === input.name)
        : undefined) ?? this.globalCommands.find((candidate) => candidate.name === input.name);
    if (!command) throw new Error(`/${input.name} is not registered: deploy the commands first`);
    const channelId = input.channelId ?? DEFAULT_CHANNEL;
    const installed = this.installationFor(
      command,
      input.user,
      guildId,
      channelId,
      input.installation,
    );
    const permissions = input.memberPermissions ?? MEMBER_PERMISSIONS;
    const required = command.default_member_permissions
      ? BigInt(command.default_member_permissions)
      : 0n;
    const isAdmin = (permissions & Permission.Administrator) !== 0n;
    if (
      guildId &&
      !isAdmin &&
      !input.grantedByServerSettings &&
      (permissions & required) !== required
    ) {
      throw new Error(
        `Discord does not offer /${input.name} to members without permissions ${required}`,
      );
    }
    const resolved = noneResolved();
    const resolvedAttachments: FakeAttachment[] = [];
    const attach = (upload: FakeUpload) => {
      const attachment = this.cdn.keepCommandUpload(channelId, upload);
      resolvedAttachments.push(attachment);
      return attachment.id;
    };
    let options;
    if (input.subcommand) {
      const sub = command.options?.find(
        (option) => option.type === 1 && option.name === input.subcommand,
      );
      if (!sub) throw new Error(`/${input.name} has no subcommand "${input.subcommand}"`);
      const inner = buildOptions(
        sub.options,
        input.options ?? {},
        resolved,
        `/${input.name} ${input.subcommand}`,
        attach,
      );
      options = [{ name: sub.name, type: 1, options: inner }];
    } else {
      options = buildOptions(
        command.options,
        input.options ?? {},
        resolved,
        `/${input.name}`,
        attach,
      );
    }
    const data: Record<string, unknown> = { id: command.id, name: command.name, type: 1, options };
    const resolvedData = resolvedPayload(resolved, resolvedAttachments, guildId);
    if (resolvedData) data.resolved = resolvedData;
    return this.dispatchInteraction({
      type: 2,
      data,
      user: input.user,
      guildId,
      channelId,
      permissions,
      roles: input.memberRoles ?? [],
      attachmentSizeLimit: input.attachmentSizeLimit,
      installed,
    });
  }

  /**
   * Which install authorizes a command here, as Discord decides what it offers: the command's
   * contexts (0 server, 1 the bot's DM, 2 DMs and group DMs between people) and integration types
   * (0 a server's install, 1 a user's). In a server without the bot, or a conversation between
   * people, only a user install can.
   */
  private installationFor(
    command: RegisteredCommand,
    user: FakeUser,
    guildId: string | undefined,
    channelId: string,
    asked: 'guild' | 'user' | undefined,
  ): Installed {
    const channel = this.channels.get(channelId);
    // A conversation without a server is the bot's DM unless the bot is not in it (people's DMs).
    const context = guildId ? 0 : channel?.botCanPost === false ? 2 : 1;
    const where = ['in servers', 'in DMs', 'in DMs between people'][context];
    const named = command.type === 3 ? `"${command.name}"` : `/${command.name}`;
    if (command.contexts && !command.contexts.includes(context))
      throw new Error(`Discord does not offer ${named} ${where}`);
    const botPresent = context === 1 || (context === 0 && !this.serversWithoutBot.has(guildId!));
    const installation = asked ?? (botPresent ? 'guild' : 'user');
    if (installation === 'guild' && !botPresent)
      throw new Error(`the app is not installed where "${command.name}" was used`);
    const types = command.integration_types ?? [0];
    if (!types.includes(installation === 'guild' ? 0 : 1))
      throw new Error(`Discord does not offer ${named} to a ${installation} install`);
    const owners: Record<string, string> =
      installation === 'guild' ? { '0': guildId ?? '0' } : { '1': user.id };
    return {
      owners,
      context,
      userInstalledOnly: installation === 'user',
      forcedEphemeral:
        installation === 'user' && guildId !== undefined && this.externalAppsPrivate.has(guildId),
    };
  }

  /** A person posts a message, with files they upload (served from the fake's CDN path). */
  postUserMessage(input: UserMessageInput): FakeMessage {
    const channelId = input.channelId ?? DEFAULT_CHANNEL;
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const message = this.store.create({
      channelId,
      guildId: channel.guildId,
      interactionId: undefined,
      via: 'channel',
      flags: 0,
      json: { content: input.content ?? '', embeds: input.embeds ?? [] },
      files: (input.files ?? []).map((file, index) => ({
        field: `files[${index}]`,
        name: file.filename,
        // The client declares a type only when it recognises the file.
        contentType: file.contentType ?? '',
        bytes: file.bytes,
      })),
      sizeLimit: PERSON_UPLOAD_LIMIT,
    });
    message.author = input.user;
    return message;
  }

  /**
   * A person picks a message command (Apps → "Edit image") on a message: Discord sends the command
   * with the message in `resolved.messages`, keyed by `target_id`.
   */
  runMessageCommand(input: {
    name: string;
    message: FakeMessage;
    user: FakeUser;
    memberPermissions?: bigint;
    installation?: 'guild' | 'user';
  }): Promise<InteractionHandle> {
    const { message } = input;
    const registered = message.guildId
      ? (this.guildCommands.get(message.guildId) ?? [])
      : this.globalCommands;
    const command = [...registered, ...this.globalCommands].find(
      (candidate) => candidate.name === input.name && candidate.type === 3,
    );
    if (!command) throw new Error(`no message command "${input.name}" is registered`);
    const installed = this.installationFor(
      command,
      input.user,
      message.guildId,
      message.channelId,
      input.installation,
    );
    return this.dispatchInteraction({
      installed,
      type: 2,
      data: {
        id: command.id,
        name: command.name,
        type: 3,
        target_id: message.id,
        resolved: { messages: { [message.id]: apiMessage(message, this) } },
      },
      user: input.user,
      guildId: message.guildId,
      channelId: message.channelId,
      permissions: input.memberPermissions ?? MEMBER_PERMISSIONS,
      attachmentSizeLimit: undefined,
    });
  }

  /**
   * The person sends the form the bot opened in answer to `opened`, having typed `values` (by the
   * inputs' custom_ids). Refused as Discord's client would: a required input left empty, or text
   * over an input's max_length.
   */
  submitModal(
    opened: InteractionHandle,
    values: Record<string, string>,
  ): Promise<InteractionHandle> {
    const modal = opened.interaction.modal;
    if (!modal) throw new Error(`interaction ${opened.id} opened no form`);
    const inputs = modalInputs(modal);
    for (const [id, rule] of inputs) {
      const value = values[id] ?? '';
      if (rule.required && value.trim() === '') throw new Error(`"${id}" is required`);
      if (value.length > rule.max) throw new Error(`"${id}" is over ${rule.max} characters`);
    }
    const source = opened.interaction;
    const message = source.componentMessageId
      ? this.messages.get(source.componentMessageId)
      : undefined;
    return this.dispatchInteraction({
      type: 5,
      data: {
        custom_id: modal.custom_id,
        components: [...inputs.keys()].map((id, index) => ({
          type: 18,
          id: index + 1,
          component: { type: 4, id: index + 2, custom_id: id, value: values[id] ?? '' },
        })),
      },
      user: source.user,
      guildId: source.guildId,
      channelId: source.channelId,
      permissions: MEMBER_PERMISSIONS,
      attachmentSizeLimit: undefined,
      ...(message ? { message } : {}),
    });
  }

  /** A person picks options in a string select menu (e.g. which image to edit). */
  selectOptions(
    message: FakeMessage,
    customId: string,
    values: string[],
    input: ComponentInput,
  ): Promise<InteractionHandle> {
    const found = findComponent(current(message).components, customId);
    if (!found || found.type !== 3)
      throw new Error(`the message has no string select "${customId}"`);
    const select = found as { options?: Array<{ value: string }>; max_values?: number };
    const offered = new Set((select.options ?? []).map((option) => option.value));
    if (values.some((value) => !offered.has(value))) throw new Error('not an offered option');
    if (values.length < 1 || values.length > (select.max_values ?? 1))
      throw new Error('wrong number of options picked');
    return this.dispatchComponent(
      message,
      { custom_id: customId, component_type: 3, values },
      input,
    );
  }

  /** A person clicks a button on a message. */
  clickButton(
    message: FakeMessage,
    customId: string,
    input: ComponentInput,
  ): Promise<InteractionHandle> {
    const found = findComponent(current(message).components, customId);
    if (!found) throw new Error(`the message has no component "${customId}"`);
    if (found.disabled) throw new Error(`"${customId}" is disabled`);
    return this.dispatchComponent(message, { custom_id: customId, component_type: 2 }, input);
  }

  /** A person picks a channel in a channel select menu; `channelPermissions` are theirs in that channel. */
  selectChannel(
    message: FakeMessage,
    customId: string,
    channelId: string,
    input: ComponentInput & { channelPermissions?: bigint },
  ): Promise<InteractionHandle> {
    const found = findComponent(current(message).components, customId);
    if (!found || found.type !== 8)
      throw new Error(`the message has no channel select "${customId}"`);
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const permissions = (input.channelPermissions ?? MEMBER_PERMISSIONS).toString();
    return this.dispatchComponent(
      message,
      {
        custom_id: customId,
        component_type: 8,
        values: [channelId],
        resolved: {
          channels: {
            [channelId]: { id: channelId, type: channel.type, name: channel.name, permissions },
          },
        },
      },
      input,
    );
  }

  /**
   * The person deletes their message once its files have been fetched `fetches` times (say, right
   * after the bot looked at it): from then on its files are 404 on the CDN.
   */
  deleteAfterFetches(message: FakeMessage, fetches: number): void {
    this.cdn.deleteAfterFetches(message, fetches);
  }

  /** Someone deletes a message in the client (e.g. a moderator, or the user dismissing it). */
  deleteMessage(messageId: string): void {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    message.deleted = true;
  }

  /** A message the bot posted earlier (say, by an older version), with whatever components it had. */
  seedBotMessage(channelId: string, json: Record<string, unknown>): FakeMessage {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    return this.store.create({
      channelId,
      guildId: channel.guildId,
      interactionId: undefined,
      via: 'channel',
      flags: 0,
      json,
      files: [],
      sizeLimit: this.attachmentSizeLimit,
    });
  }

  /**
   * The same INTERACTION_CREATE again, as after a gateway resume or a double delivery (over HTTP:
   * the same signed POST again).
   */
  redeliver(handle: InteractionHandle): void {
    const payload = this.payloads.get(handle.id);
    if (!payload) throw new Error(`no interaction ${handle.id}`);
    if (this.interactionsEndpoint) {
      void this.deliverOverHttp(handle.interaction, payload);
      return;
    }
    this.gateway.dispatch('INTERACTION_CREATE', payload, payload.guild_id as string | undefined);
  }

  /** Waits until the probe returns something other than undefined. */
  async waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  /** Discord's check of a new Interactions Endpoint URL: a signed PING that must get a PONG. */
  async pingEndpoint(): Promise<{ status: number; body: unknown }> {
    return this.postSigned(
      JSON.stringify({
        id: snowflake(),
        type: 1,
        application_id: this.applicationId,
        version: 1,
        token: `itoken-${randomBytes(12).toString('hex')}`,
      }),
    );
  }

  /**
   * POSTs a body to the bot's endpoint the way Discord does: `X-Signature-Ed25519` is the
   * application key's signature over `X-Signature-Timestamp` + body. Gives up after the 3 s
   * Discord waits.
   */
  async postSigned(body: string): Promise<{ status: number; body: unknown }> {
    const endpoint = this.interactionsEndpoint;
    if (!endpoint) throw new Error('no interactions endpoint is set');
    const staleByMs = this.httpTampering === 'stale-timestamp' ? 6 * 60_000 : 0;
    const timestamp = String(Math.floor((Date.now() - staleByMs) / 1000));
    // A forgery: a well-formed signature, made with some other key.
    const key =
      this.httpTampering === 'forged-signature'
        ? generateKeyPairSync('ed25519').privateKey
        : endpoint.privateKey;
    const signature = sign(null, Buffer.from(timestamp + body, 'utf8'), key).toString('hex');
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
        'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      },
      body,
      signal: AbortSignal.timeout(this.callbackDeadlineMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: kept as text for the test to read.
    }
    return { status: response.status, body: parsed };
  }

  /** One HTTP delivery; the response, when it is a callback, is taken as the callback route would. */
  private async deliverOverHttp(
    interaction: FakeInteraction,
    payload: Record<string, unknown>,
  ): Promise<void> {
    let answer: { status: number; body: unknown };
    try {
      answer = await this.postSigned(JSON.stringify(payload));
    } catch (error) {
      // No answer in 3 s (or none at all): Discord shows "This interaction failed".
      answer = { status: 0, body: (error as Error).message };
    }
    this.endpointResponses.push({ interactionId: interaction.id, ...answer, at: Date.now() });
    if (answer.status !== 200 || typeof answer.body !== 'object' || answer.body === null) return;
    try {
      this.rest.callback(
        interaction.id,
        interaction.token,
        answer.body as Record<string, unknown>,
        [],
        false,
      );
    } catch {
      // Refused (too late, or already acknowledged): recorded on the interaction's callbacks.
    }
  }

  /** A click on (or form from) a message an interaction answered carries that interaction's install. */
  private installedLike(message: FakeMessage | undefined): Installed | undefined {
    const origin = message?.interactionId
      ? this.interactions.get(message.interactionId)
      : undefined;
    if (!origin) return undefined;
    const { owners, context, userInstalledOnly, forcedEphemeral } = origin;
    return { owners, context, userInstalledOnly, forcedEphemeral };
  }

  private dispatchComponent(
    message: FakeMessage,
    data: Record<string, unknown>,
    input: ComponentInput,
  ): Promise<InteractionHandle> {
    return this.dispatchInteraction({
      type: 3,
      data,
      user: input.user,
      guildId: message.guildId,
      channelId: message.channelId,
      permissions: input.memberPermissions ?? MEMBER_PERMISSIONS,
      attachmentSizeLimit: input.attachmentSizeLimit,
      message,
    });
  }

  private async dispatchInteraction(spec: {
    type: number;
    data: Record<string, unknown>;
    user: FakeUser;
    guildId: string | undefined;
    channelId: string;
    permissions: bigint;
    roles?: string[];
    attachmentSizeLimit: number | undefined;
    message?: FakeMessage;
    /** How the app is installed where this happens; components and forms inherit their origin's. */
    installed?: Installed;
  }): Promise<InteractionHandle> {
    const channel = this.channels.get(spec.channelId);
    if (!channel) throw new Error(`no channel ${spec.channelId}`);
    const installed = spec.installed ??
      this.installedLike(spec.message) ?? {
        owners: spec.guildId ? { '0': spec.guildId } : { '1': spec.user.id },
        context: spec.guildId ? 0 : 1,
        userInstalledOnly: false,
        forcedEphemeral: false,
      };
    const interaction: FakeInteraction = {
      id: snowflake(),
      token: `itoken-${randomBytes(12).toString('hex')}`,
      type: spec.type,
      user: spec.user,
      channelId: spec.channelId,
      guildId: spec.guildId,
      dispatchedAt: Date.now(),
      attachmentSizeLimit: spec.attachmentSizeLimit ?? this.attachmentSizeLimit,
      callbacks: [],
      acknowledged: false,
      originalMessageId: undefined,
      componentMessageId: spec.message?.id,
      followupIds: [],
      ...installed,
    };
    const payload: Record<string, unknown> = {
      id: interaction.id,
      application_id: this.applicationId,
      type: spec.type,
      token: interaction.token,
      version: 1,
      data: spec.data,
      channel_id: channel.id,
      channel: {
        id: channel.id,
        type: channel.type,
        name: channel.name,
        ...(channel.guildId ? { guild_id: channel.guildId } : {}),
        ...(channel.parentId ? { parent_id: channel.parentId } : {}),
      },
      app_permissions: (MEMBER_PERMISSIONS | Permission.ManageMessages).toString(),
      locale: spec.user.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: installed.owners,
      context: installed.context,
      attachment_size_limit: interaction.attachmentSizeLimit,
      ...(spec.guildId
        ? {
            guild_id: spec.guildId,
            guild_locale: this.guildLocales.get(spec.guildId) ?? 'en-US',
            member: apiMember(spec.user, spec.permissions, spec.roles),
          }
        : { user: apiUser(spec.user) }),
      ...(spec.message ? { message: apiMessage(spec.message, this) } : {}),
    };
    this.interactions.set(interaction.id, interaction);
    this.payloads.set(interaction.id, payload);
    if (this.interactionsEndpoint) {
      interaction.httpExchange = this.deliverOverHttp(interaction, payload);
      return new InteractionHandle(this, interaction);
    }
    const sessions = this.gateway.dispatch('INTERACTION_CREATE', payload, spec.guildId);
    if (sessions === 0)
      throw new Error(
        `no bot is connected to the fake gateway for ${spec.guildId ? `guild ${spec.guildId}` : 'DMs'}`,
      );
    return new InteractionHandle(this, interaction);
  }

  // ------------------------------------------------------------------------------------------
  // HTTP: injected 429s, then the REST routes (rest.ts), plus uploaded attachments by URL
  // ------------------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const method = request.method ?? 'GET';
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    let status = 200;
    let errorCode: number | undefined;
    try {
      if (url.pathname.startsWith('/attachments/')) {
        status = this.cdn.serve(url.pathname, response);
        return;
      }
      const failure = takeRule(this.serverErrors, method, path);
      if (failure) {
        status = failure.status;
        response.writeHead(failure.status, { 'content-type': 'text/html' });
        response.end(`<html><body>${failure.status} upstream error</body></html>`);
        return;
      }
      const limited = takeRule(this.rateLimits, method, path);
      if (limited) {
        status = 429;
        const seconds = limited.retryAfterMs / 1000;
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(seconds),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(seconds),
          'x-ratelimit-bucket': 'fake-bucket',
          'x-ratelimit-scope': 'user',
        });
        response.end(
          JSON.stringify({
            message: 'You are being rate limited.',
            retry_after: seconds,
            global: false,
          }),
        );
        return;
      }
      await this.exchangeFor(path);
      const body =
        method === 'GET' || method === 'DELETE'
          ? { json: {}, files: [] }
          : await parseBody(request);
      const hold = this.holds.find(
        (rule) =>
          (!rule.method || rule.method === method) &&
          rule.path.test(path) &&
          (!rule.body || rule.body(body)),
      );
      if (hold) this.holds.splice(this.holds.indexOf(hold), 1);
      if (hold && !hold.applied) {
        status = 0;
        hold.reached();
        return await untilClosed(response);
      }
      const result = await this.rest.route(
        method,
        path,
        url.searchParams,
        request,
        body.json,
        body.files,
      );
      status = result === undefined ? 204 : 200;
      if (hold) {
        hold.reached();
        return await untilClosed(response);
      }
      response.writeHead(
        status,
        result === undefined ? {} : { 'content-type': 'application/json' },
      );
      response.end(result === undefined ? undefined : JSON.stringify(result));
    } catch (error) {
      const failure =
        error instanceof ApiFailure
          ? error
          : new ApiFailure(500, 0, `fake error: ${(error as Error).message}`);
      status = failure.status;
      errorCode = failure.code;
      response.writeHead(failure.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: failure.message, code: failure.code }));
    } finally {
      this.requests.push({
        method,
        path,
        status,
        at: Date.now(),
        ...(errorCode !== undefined ? { errorCode } : {}),
      });
    }
  }

  /** Routes of an interaction delivered over HTTP wait until its HTTP response is taken in. */
  private async exchangeFor(path: string): Promise<void> {
    const match = /^\/(?:webhooks\/\d+|interactions\/\d+)\/([^/]+)/.exec(path);
    if (!match) return;
    const interaction = [...this.interactions.values()].find(
      (candidate) => candidate.token === match[1],
    );
    await interaction?.httpExchange;
  }
}

/** How the app was installed where an interaction happened (see DiscordFake.installationFor). */
type Installed = Pick<
  FakeInteraction,
  'owners' | 'context' | 'userInstalledOnly' | 'forcedEphemeral'
>;

function findComponent(
  rows: Array<Record<string, unknown>>,
  customId: string,
): { type: number; disabled?: boolean } | undefined {
  for (const row of rows) {
    for (const component of (row.components as Array<Record<string, unknown>> | undefined) ?? []) {
      if (component.custom_id === customId)
        return component as { type: number; disabled?: boolean };
    }
  }
  return undefined;
}

/** A held request ends only when the bot's side of the connection goes away. */
function untilClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => response.once('close', () => resolve()));
}

/** Takes one use of the first rule matching the request, dropping the rule once used up. */
function takeRule<Rule extends { method?: string; path: RegExp; times?: number }>(
  rules: Rule[],
  method: string,
  path: string,
): Rule | undefined {
  const index = rules.findIndex(
    (rule) => (!rule.method || rule.method === method) && rule.path.test(path),
  );
  if (index < 0) return undefined;
  const rule = rules[index]!;
  rule.times = (rule.times ?? 1) - 1;
  if (rule.times <= 0) rules.splice(index, 1);
  return rule;
}
