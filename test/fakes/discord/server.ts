import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, type UploadedFile } from './body.js';
import {
  buildOptions,
  type FakeUser,
  type OptionValue,
  type RegisteredCommand,
} from './commands.js';
import { FakeGateway } from './gateway.js';
import { resolvePings } from './mentions.js';
import { apiMember, apiMessage, apiUser, MEMBER_PERMISSIONS, Permission } from './payloads.js';
import { snowflake } from './snowflake.js';
import {
  current,
  MessageFlag,
  type CallbackRecord,
  type FakeAttachment,
  type FakeChannel,
  type FakeInteraction,
  type FakeMessage,
  type MessageRevision,
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
}

export interface RateLimitRule {
  method?: string;
  /** Matched against the path after `/api/v10`, e.g. /^\/webhooks\//. */
  path: RegExp;
  retryAfterMs: number;
  times?: number;
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
  attachmentSizeLimit?: number;
  /** A server admin granted this member the command in Server Settings → Integrations. */
  grantedByServerSettings?: boolean;
}

export interface ComponentInput {
  user: FakeUser;
  memberPermissions?: bigint;
  attachmentSizeLimit?: number;
}

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

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
  readonly interactions = new Map<string, FakeInteraction>();
  readonly messages = new Map<string, FakeMessage>();
  readonly channels = new Map<string, FakeChannel>();
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();
  /** Every REST call: tests assert on routes and statuses; unknown routes show up as 404 here. */
  readonly requests: RecordedRequest[] = [];
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly payloads = new Map<string, Record<string, unknown>>();
  private readonly server: Server;
  private readonly gateway: FakeGateway;
  private origin = '';

  constructor(options: DiscordFakeOptions = {}) {
    this.token = options.token ?? 'fake-token';
    this.callbackDeadlineMs = options.callbackDeadlineMs ?? 3_000;
    this.tokenTtlMs = options.tokenTtlMs ?? 15 * 60_000;
    this.attachmentSizeLimit = options.attachmentSizeLimit ?? 10 * MiB;
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

  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get gatewayUrl(): string {
    return this.origin.replace(/^http/, 'ws');
  }

  get identifyCount(): number {
    return this.gateway.identifyCount;
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

  user(username: string): FakeUser {
    return { id: snowflake(), username };
  }

  addChannel(channel: Partial<FakeChannel> & { name: string }): FakeChannel {
    const full: FakeChannel = {
      id: channel.id ?? snowflake(),
      guildId: 'guildId' in channel ? channel.guildId : DEFAULT_GUILD,
      name: channel.name,
      type: channel.type ?? 0,
      botCanPost: channel.botCanPost ?? true,
      ...(channel.recipientId ? { recipientId: channel.recipientId } : {}),
    };
    this.channels.set(full.id, full);
    return full;
  }

  /** The next matching REST calls answer 429 with `retry_after`, the way a real bucket does. */
  rateLimit(rule: RateLimitRule): void {
    this.rateLimits.push({ times: 1, ...rule });
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
    const resolvedUsers = new Map<string, FakeUser>();
    let options;
    if (input.subcommand) {
      const sub = command.options?.find(
        (option) => option.type === 1 && option.name === input.subcommand,
      );
      if (!sub) throw new Error(`/${input.name} has no subcommand "${input.subcommand}"`);
      const inner = buildOptions(
        sub.options,
        input.options ?? {},
        resolvedUsers,
        `/${input.name} ${input.subcommand}`,
      );
      options = [{ name: sub.name, type: 1, options: inner }];
    } else {
      options = buildOptions(command.options, input.options ?? {}, resolvedUsers, `/${input.name}`);
    }
    const data: Record<string, unknown> = { id: command.id, name: command.name, type: 1, options };
    if (resolvedUsers.size > 0) {
      data.resolved = {
        users: Object.fromEntries([...resolvedUsers].map(([id, user]) => [id, apiUser(user)])),
        ...(guildId
          ? {
              members: Object.fromEntries(
                [...resolvedUsers].map(([id]) => [
                  id,
                  { roles: [], joined_at: new Date(0).toISOString(), permissions: '0' },
                ]),
              ),
            }
          : {}),
      };
    }
    return this.dispatchInteraction({
      type: 2,
      data,
      user: input.user,
      guildId,
      channelId: input.channelId ?? DEFAULT_CHANNEL,
      permissions,
      attachmentSizeLimit: input.attachmentSizeLimit,
    });
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
    return this.createMessage({
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

  /** The same INTERACTION_CREATE again, as after a gateway resume or a double delivery. */
  redeliver(handle: InteractionHandle): void {
    const payload = this.payloads.get(handle.id);
    if (!payload) throw new Error(`no interaction ${handle.id}`);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
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
    attachmentSizeLimit: number | undefined;
    message?: FakeMessage;
  }): Promise<InteractionHandle> {
    const channel = this.channels.get(spec.channelId);
    if (!channel) throw new Error(`no channel ${spec.channelId}`);
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
      },
      app_permissions: (MEMBER_PERMISSIONS | Permission.ManageMessages).toString(),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: spec.guildId ? { '0': spec.guildId } : { '1': spec.user.id },
      context: spec.guildId ? 0 : 1,
      attachment_size_limit: interaction.attachmentSizeLimit,
      ...(spec.guildId
        ? {
            guild_id: spec.guildId,
            guild_locale: 'en-US',
            member: apiMember(spec.user, spec.permissions),
          }
        : { user: apiUser(spec.user) }),
      ...(spec.message ? { message: apiMessage(spec.message, this) } : {}),
    };
    this.interactions.set(interaction.id, interaction);
    this.payloads.set(interaction.id, payload);
    const sessions = this.gateway.dispatch('INTERACTION_CREATE', payload);
    if (sessions === 0) throw new Error('no bot is connected to the fake gateway');
    return new InteractionHandle(this, interaction);
  }

  // ------------------------------------------------------------------------------------------
  // REST
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
        status = this.serveAttachment(url.pathname, response);
        return;
      }
      const limited = this.takeRateLimit(method, path);
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
      const body =
        method === 'GET' || method === 'DELETE'
          ? { json: {}, files: [] }
          : await parseBody(request);
      const result = await this.route(
        method,
        path,
        url.searchParams,
        request,
        body.json,
        body.files,
      );
      status = result === undefined ? 204 : 200;
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

  private takeRateLimit(method: string, path: string): RateLimitRule | undefined {
    const index = this.rateLimits.findIndex(
      (rule) => (!rule.method || rule.method === method) && rule.path.test(path),
    );
    if (index < 0) return undefined;
    const rule = this.rateLimits[index]!;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.rateLimits.splice(index, 1);
    return rule;
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    request: IncomingMessage,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      this.requireBot(request);
      return {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      };
    }
    if ((match = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      return this.callback(
        match[1]!,
        match[2]!,
        json,
        files,
        query.get('with_response') === 'true',
      );
    }
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      return this.followup(match[1]!, match[2]!, json, files);
    }
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path))) {
      return this.webhookMessage(method, match[1]!, match[2]!, match[3]!, json, files);
    }
    if (
      path.startsWith('/channels/') ||
      path.startsWith('/users/') ||
      path.startsWith('/applications/')
    ) {
      this.requireBot(request);
    }
    if ((match = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      return this.postChannelMessage(match[1]!, json, files);
    }
    if ((match = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      return this.channelMessage(method, match[1]!, match[2]!, json, files);
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      return this.openDm(String(json.recipient_id));
    }
    if (method === 'GET' && path === '/applications/@me') {
      return {
        id: this.applicationId,
        name: 'gpt-image-bot',
        bot: { ...apiUser(this.bot), bot: true },
      };
    }
    if (
      (match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) &&
      method === 'PUT'
    ) {
      return this.putCommands(match[1]!, match[2], json as unknown as RegisteredCommand[]);
    }
    throw new ApiFailure(404, 0, `404: Not Found (${method} ${path} is not faked)`);
  }

  private requireBot(request: IncomingMessage): void {
    if (request.headers.authorization !== `Bot ${this.token}`)
      throw new ApiFailure(401, 0, '401: Unauthorized');
  }

  private callback(
    id: string,
    token: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
    withResponse: boolean,
  ): unknown {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token)
      throw new ApiFailure(404, 10062, 'Unknown interaction');
    const type = Number(json.type);
    const data = json.data as Record<string, unknown> | undefined;
    const record: CallbackRecord = { type, data, at: Date.now(), status: 200 };
    interaction.callbacks.push(record);
    const refuse = (failure: ApiFailure): never => {
      record.status = failure.status;
      record.errorCode = failure.code;
      throw failure;
    };
    if (Date.now() - interaction.dispatchedAt > this.callbackDeadlineMs)
      refuse(new ApiFailure(404, 10062, 'Unknown interaction'));
    if (interaction.acknowledged)
      refuse(new ApiFailure(400, 40060, 'Interaction has already been acknowledged.'));
    let message: FakeMessage | undefined;
    switch (type) {
      case 4:
      case 5: {
        const flags = Number(data?.flags ?? 0) & MessageFlag.Ephemeral;
        message = this.createMessage({
          channelId: interaction.channelId,
          guildId: interaction.guildId,
          interactionId: interaction.id,
          via: 'callback',
          flags: type === 5 ? flags | MessageFlag.Loading : flags,
          json: type === 4 ? (data ?? {}) : {},
          files,
          sizeLimit: interaction.attachmentSizeLimit,
        });
        interaction.originalMessageId = message.id;
        break;
      }
      case 6:
      case 7: {
        if (!interaction.componentMessageId)
          refuse(new ApiFailure(400, 50035, 'Invalid Form Body'));
        message = this.messages.get(interaction.componentMessageId!)!;
        interaction.originalMessageId = message.id;
        if (type === 7)
          this.editMessage(message, data ?? {}, files, 'callback', interaction.attachmentSizeLimit);
        break;
      }
      default:
        refuse(new ApiFailure(400, 50035, `the fake does not support callback type ${type}`));
    }
    interaction.acknowledged = true;
    if (!withResponse) return undefined;
    return {
      interaction: {
        id: interaction.id,
        type: interaction.type,
        response_message_id: message?.id,
        response_message_loading: type === 5,
        response_message_ephemeral: message
          ? (current(message).flags & MessageFlag.Ephemeral) !== 0
          : false,
      },
      resource: { type, ...(message ? { message: apiMessage(message, this) } : {}) },
    };
  }

  private interactionByToken(applicationId: string, token: string): FakeInteraction {
    const interaction = [...this.interactions.values()].find(
      (candidate) => candidate.token === token,
    );
    if (applicationId !== this.applicationId || !interaction)
      throw new ApiFailure(404, 10015, 'Unknown Webhook');
    if (Date.now() - interaction.dispatchedAt > this.tokenTtlMs)
      throw new ApiFailure(401, 50027, 'Invalid Webhook Token');
    return interaction;
  }

  private followup(
    applicationId: string,
    token: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const interaction = this.interactionByToken(applicationId, token);
    if (!interaction.acknowledged) throw new ApiFailure(404, 10015, 'Unknown Webhook');
    const message = this.createMessage({
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      interactionId: interaction.id,
      via: 'webhook',
      flags: Number(json.flags ?? 0) & MessageFlag.Ephemeral,
      json,
      files,
      sizeLimit: interaction.attachmentSizeLimit,
    });
    interaction.followupIds.push(message.id);
    return apiMessage(message, this);
  }

  private webhookMessage(
    method: string,
    applicationId: string,
    token: string,
    messageId: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const interaction = this.interactionByToken(applicationId, token);
    const id = messageId === '@original' ? interaction.originalMessageId : messageId;
    const message = id ? this.messages.get(id) : undefined;
    const reachable =
      id === interaction.originalMessageId || interaction.followupIds.includes(id ?? '');
    if (!message || message.deleted || !reachable)
      throw new ApiFailure(404, 10008, 'Unknown Message');
    if (method === 'GET') return apiMessage(message, this);
    if (method === 'DELETE') {
      message.deleted = true;
      return undefined;
    }
    if (method !== 'PATCH') throw new ApiFailure(405, 0, '405: Method Not Allowed');
    this.editMessage(message, json, files, 'webhook', interaction.attachmentSizeLimit);
    return apiMessage(message, this);
  }

  private postChannelMessage(
    channelId: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const channel = this.channels.get(channelId);
    if (!channel) throw new ApiFailure(404, 10003, 'Unknown Channel');
    if (!channel.botCanPost) throw new ApiFailure(403, 50001, 'Missing Access');
    const message = this.createMessage({
      channelId,
      guildId: channel.guildId,
      interactionId: undefined,
      via: 'channel',
      flags: 0,
      json,
      files,
      sizeLimit: this.attachmentSizeLimit,
    });
    return apiMessage(message, this);
  }

  private channelMessage(
    method: string,
    channelId: string,
    messageId: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const channel = this.channels.get(channelId);
    if (!channel) throw new ApiFailure(404, 10003, 'Unknown Channel');
    if (!channel.botCanPost) throw new ApiFailure(403, 50001, 'Missing Access');
    const message = this.messages.get(messageId);
    // Ephemeral messages exist only for their recipient; the bot token cannot see them.
    const visible =
      message &&
      !message.deleted &&
      message.channelId === channelId &&
      !(current(message).flags & MessageFlag.Ephemeral);
    if (!visible) throw new ApiFailure(404, 10008, 'Unknown Message');
    if (method === 'GET') return apiMessage(message, this);
    if (method === 'DELETE') {
      message.deleted = true;
      return undefined;
    }
    if (method !== 'PATCH') throw new ApiFailure(405, 0, '405: Method Not Allowed');
    this.editMessage(message, json, files, 'channel', this.attachmentSizeLimit);
    return apiMessage(message, this);
  }

  private openDm(recipientId: string): unknown {
    const channel =
      this.dmChannelOf(recipientId) ??
      this.addChannel({ name: `dm-${recipientId}`, guildId: undefined, type: 1, recipientId });
    return {
      id: channel.id,
      type: 1,
      recipients: [{ id: recipientId, username: 'someone', discriminator: '0', avatar: null }],
    };
  }

  private putCommands(
    applicationId: string,
    guildId: string | undefined,
    commands: RegisteredCommand[],
  ): unknown {
    if (applicationId !== this.applicationId) throw new ApiFailure(403, 50001, 'Missing Access');
    if (!Array.isArray(commands)) throw new ApiFailure(400, 50035, 'Invalid Form Body');
    const registered = commands.map((command) => {
      if (
        !/^[-_\p{L}\p{N}]{1,32}$/u.test(command.name) ||
        !command.description ||
        command.description.length > 100
      ) {
        throw new ApiFailure(400, 50035, `Invalid Form Body: command "${command.name}"`);
      }
      return {
        ...command,
        id: snowflake(),
        application_id: applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.guildCommands.set(guildId, registered);
    else this.globalCommands.splice(0, this.globalCommands.length, ...registered);
    return registered;
  }

  private serveAttachment(pathname: string, response: ServerResponse): number {
    const [, , channelId, attachmentId] = pathname.split('/');
    for (const message of this.messagesIn(channelId ?? '')) {
      const attachment = current(message).attachments.find(
        (candidate) => candidate.id === attachmentId,
      );
      if (attachment) {
        response.writeHead(200, {
          'content-type': attachment.contentType,
          'content-length': attachment.size,
        });
        response.end(attachment.bytes);
        return 200;
      }
    }
    response.writeHead(404).end();
    return 404;
  }

  // ------------------------------------------------------------------------------------------
  // Messages
  // ------------------------------------------------------------------------------------------

  private createMessage(spec: {
    channelId: string;
    guildId: string | undefined;
    interactionId: string | undefined;
    via: MessageRevision['via'];
    flags: number;
    json: Record<string, unknown>;
    files: UploadedFile[];
    sizeLimit: number;
  }): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channelId: spec.channelId,
      guildId: spec.guildId,
      interactionId: spec.interactionId,
      deleted: false,
      revisions: [],
    };
    const empty: MessageRevision = {
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      allowedMentions: undefined,
      pings: { everyone: false, users: [], roles: [] },
      flags: spec.flags,
      via: spec.via,
      at: Date.now(),
    };
    message.revisions.push(
      this.revise(message, empty, spec.json, spec.files, spec.via, spec.sizeLimit),
    );
    message.revisions[0]!.flags = spec.flags;
    this.messages.set(message.id, message);
    return message;
  }

  private editMessage(
    message: FakeMessage,
    json: Record<string, unknown>,
    files: UploadedFile[],
    via: MessageRevision['via'],
    sizeLimit: number,
  ): void {
    message.revisions.push(this.revise(message, current(message), json, files, via, sizeLimit));
  }

  /** Applies a create/edit body to the previous state: what is given replaces, what is omitted stays. */
  private revise(
    message: FakeMessage,
    previous: MessageRevision,
    json: Record<string, unknown>,
    files: UploadedFile[],
    via: MessageRevision['via'],
    sizeLimit: number,
  ): MessageRevision {
    for (const file of files) {
      if (file.bytes.length > sizeLimit)
        throw new ApiFailure(413, 40005, 'Request entity too large');
    }
    const uploaded = files.map((file): FakeAttachment => {
      const id = snowflake();
      return {
        id,
        filename: file.name,
        size: file.bytes.length,
        contentType: file.contentType,
        bytes: file.bytes,
        url: `${this.origin}/attachments/${message.channelId}/${id}/${file.name}`,
      };
    });
    let attachments = [...previous.attachments, ...uploaded];
    if (Array.isArray(json.attachments)) {
      const keep = new Set(
        (json.attachments as Array<{ id: string | number }>).map((entry) => String(entry.id)),
      );
      const kept = previous.attachments.filter((attachment) => keep.has(attachment.id));
      attachments = [...kept, ...uploaded];
    }
    const content = typeof json.content === 'string' ? json.content : previous.content;
    const allowedMentions =
      'allowed_mentions' in json ? json.allowed_mentions : previous.allowedMentions;
    const flags = previous.flags & ~MessageFlag.Loading;
    if (content.length > 2000)
      throw new ApiFailure(400, 50035, 'Invalid Form Body: content longer than 2000');
    return {
      content,
      embeds: Array.isArray(json.embeds)
        ? (json.embeds as MessageRevision['embeds'])
        : previous.embeds,
      components: Array.isArray(json.components)
        ? (json.components as MessageRevision['components'])
        : previous.components,
      attachments,
      allowedMentions,
      pings: resolvePings(content, allowedMentions as Parameters<typeof resolvePings>[1]),
      flags,
      via,
      at: Date.now(),
    };
  }
}

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

/** What a test holds after a person acted: the interaction, its callbacks, and the message it produced. */
export class InteractionHandle {
  constructor(
    private readonly fake: DiscordFake,
    readonly interaction: FakeInteraction,
  ) {}

  get id(): string {
    return this.interaction.id;
  }

  get callbacks(): CallbackRecord[] {
    return this.interaction.callbacks;
  }

  /** The message `@original` points at: the response, or the clicked message after an update. */
  response(): FakeMessage | undefined {
    const id = this.interaction.originalMessageId;
    return id ? this.fake.messages.get(id) : undefined;
  }

  followups(): FakeMessage[] {
    return this.interaction.followupIds.map((id) => this.fake.messages.get(id)!);
  }

  waitForCallback(timeoutMs = 5_000): Promise<CallbackRecord> {
    return this.fake.waitFor(
      () => this.callbacks[0],
      `a callback to interaction ${this.id}`,
      timeoutMs,
    );
  }

  /** Waits until the response's latest revision satisfies the check. */
  waitForResponse(
    check: (revision: MessageRevision) => boolean,
    what = 'the response',
    timeoutMs = 10_000,
  ): Promise<FakeMessage> {
    return this.fake.waitFor(
      () => {
        const message = this.response();
        return message && check(current(message)) ? message : undefined;
      },
      `${what} (interaction ${this.id})`,
      timeoutMs,
    );
  }

  /** Waits for an ephemeral or public reply text (response or follow-up) containing the text. */
  waitForText(text: string, timeoutMs = 10_000): Promise<FakeMessage> {
    return this.fake.waitFor(
      () =>
        [this.response(), ...this.followups()].find(
          (message) => message && !message.deleted && textOf(current(message)).includes(text),
        ),
      `a reply containing "${text}" (interaction ${this.id})`,
      timeoutMs,
    );
  }
}

/** Everything a person reads in a revision: content plus embed titles, descriptions, fields, footers. */
export function textOf(revision: MessageRevision): string {
  const parts = [revision.content];
  for (const embed of revision.embeds) {
    parts.push(
      typeof embed.title === 'string' ? embed.title : '',
      typeof embed.description === 'string' ? embed.description : '',
    );
    for (const field of (embed.fields as Array<{ name: string; value: string }> | undefined) ?? [])
      parts.push(field.name, field.value);
    const footer = embed.footer as { text?: string } | undefined;
    if (footer?.text) parts.push(footer.text);
  }
  return parts.join('\n');
}
