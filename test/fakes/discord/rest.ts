import type { IncomingMessage } from 'node:http';
import { ApiFailure } from './api-failure.js';
import type { UploadedFile } from './body.js';
import type { RegisteredCommand } from './commands.js';
import { checkModal } from './limits.js';
import { commandProblem } from './registration.js';
import { apiMessage, apiUser } from './payloads.js';
import type { DiscordFake } from './server.js';
import { snowflake } from './snowflake.js';
import {
  current,
  MessageFlag,
  type CallbackRecord,
  type FakeInteraction,
  type FakeMessage,
} from './state.js';

/** Follow-ups Discord takes per interaction from an app only the user installed. */
const USER_INSTALL_FOLLOWUPS = 5;

/** The ephemeral flag a new answer gets: as asked, or always where the server makes external apps private. */
function ephemeralFlag(interaction: FakeInteraction, asked: unknown): number {
  if (interaction.forcedEphemeral) return MessageFlag.Ephemeral;
  return Number(asked ?? 0) & MessageFlag.Ephemeral;
}

/**
 * The REST half of the fake: interaction callbacks, webhook (interaction token) routes, channel
 * routes with the bot token, DMs and command registration, each with Discord's own refusals.
 */
export class FakeRest {
  constructor(private readonly fake: DiscordFake) {}

  route(
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
        url: this.fake.gatewayUrl,
        shards: this.fake.recommendedShards,
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
    if ((match = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'GET') {
      return this.listChannelMessages(match[1]!, query);
    }
    if ((match = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      return this.channelMessage(method, match[1]!, match[2]!, json, files);
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      return this.openDm(String(json.recipient_id));
    }
    if (method === 'GET' && path === '/applications/@me') {
      return {
        id: this.fake.applicationId,
        name: 'gpt-image-bot',
        bot: { ...apiUser(this.fake.bot), bot: true },
      };
    }
    if (
      (match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) &&
      method === 'PUT'
    ) {
      return this.putCommands(match[1]!, match[2], json as unknown as RegisteredCommand[]);
    }
    if (
      (match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) &&
      method === 'GET'
    ) {
      return this.getCommands(match[1]!, match[2], query.get('with_localizations') === 'true');
    }
    throw new ApiFailure(404, 0, `404: Not Found (${method} ${path} is not faked)`);
  }

  private requireBot(request: IncomingMessage): void {
    if (request.headers.authorization !== `Bot ${this.fake.token}`)
      throw new ApiFailure(401, 0, '401: Unauthorized');
  }

  /** An interaction's initial response, whether POSTed to the callback route or returned over HTTP. */
  callback(
    id: string,
    token: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
    withResponse: boolean,
  ): unknown {
    const interaction = this.fake.interactions.get(id);
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
    if (Date.now() - interaction.dispatchedAt > this.fake.callbackDeadlineMs)
      refuse(new ApiFailure(404, 10062, 'Unknown interaction'));
    if (interaction.acknowledged)
      refuse(new ApiFailure(400, 40060, 'Interaction has already been acknowledged.'));
    let message: FakeMessage | undefined;
    switch (type) {
      case 4:
      case 5: {
        const flags = ephemeralFlag(interaction, data?.flags);
        message = this.fake.store.create({
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
        message = this.fake.messages.get(interaction.componentMessageId!)!;
        interaction.originalMessageId = message.id;
        if (type === 7)
          this.fake.store.edit(
            message,
            data ?? {},
            files,
            'callback',
            interaction.attachmentSizeLimit,
          );
        break;
      }
      case 9:
        // A form answers a command or a component, never another form.
        if (interaction.type !== 2 && interaction.type !== 3)
          refuse(new ApiFailure(400, 50035, 'Invalid Form Body: a modal cannot answer a modal'));
        try {
          checkModal(data);
        } catch (error) {
          refuse(error as ApiFailure);
        }
        interaction.modal = data;
        break;
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
      // Discord returns the message itself only for CHANNEL_MESSAGE_WITH_SOURCE and UPDATE_MESSAGE.
      resource: {
        type,
        ...(message && (type === 4 || type === 7)
          ? { message: apiMessage(message, this.fake) }
          : {}),
      },
    };
  }

  private interactionByToken(applicationId: string, token: string): FakeInteraction {
    const interaction = [...this.fake.interactions.values()].find(
      (candidate) => candidate.token === token,
    );
    if (applicationId !== this.fake.applicationId || !interaction)
      throw new ApiFailure(404, 10015, 'Unknown Webhook');
    if (Date.now() - interaction.dispatchedAt > this.fake.tokenTtlMs)
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
    // Discord: an app only a user installed (not this server) sends at most five follow-ups.
    if (interaction.userInstalledOnly && interaction.followupIds.length >= USER_INSTALL_FOLLOWUPS)
      throw new ApiFailure(
        400,
        0,
        `a user-installed app may send at most ${USER_INSTALL_FOLLOWUPS} follow-ups per interaction`,
      );
    const message = this.fake.store.create({
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      interactionId: interaction.id,
      via: 'webhook',
      flags: ephemeralFlag(interaction, json.flags),
      json,
      files,
      sizeLimit: interaction.attachmentSizeLimit,
    });
    interaction.followupIds.push(message.id);
    return apiMessage(message, this.fake);
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
    const message = id ? this.fake.messages.get(id) : undefined;
    const reachable =
      id === interaction.originalMessageId || interaction.followupIds.includes(id ?? '');
    if (!message || message.deleted || !reachable)
      throw new ApiFailure(404, 10008, 'Unknown Message');
    if (method === 'GET') return apiMessage(message, this.fake);
    if (method === 'DELETE') {
      message.deleted = true;
      return undefined;
    }
    if (method !== 'PATCH') throw new ApiFailure(405, 0, '405: Method Not Allowed');
    this.fake.store.edit(message, json, files, 'webhook', interaction.attachmentSizeLimit);
    return apiMessage(message, this.fake);
  }

  private postChannelMessage(
    channelId: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const channel = this.fake.channels.get(channelId);
    if (!channel) throw new ApiFailure(404, 10003, 'Unknown Channel');
    if (!channel.botCanPost) throw new ApiFailure(403, 50001, 'Missing Access');
    const given = json.nonce ?? undefined;
    if (
      given !== undefined &&
      !(typeof given === 'string' ? given.length <= 25 : Number.isSafeInteger(given))
    )
      throw new ApiFailure(400, 50035, 'Invalid Form Body: nonce');
    const nonce = typeof given === 'number' ? String(given) : (given as string | undefined);
    // Discord: with enforce_nonce, a message the same author sent with this nonce in the past
    // few minutes is returned instead of creating another. Without it, the nonce is only echoed.
    if (nonce !== undefined && json.enforce_nonce === true) {
      const earlier = this.fake.store.sentWithNonce(nonce, this.fake.nonceWindowMs);
      if (earlier) return { ...apiMessage(earlier, this.fake), nonce };
    }
    const message = this.fake.store.create({
      channelId,
      guildId: channel.guildId,
      interactionId: undefined,
      via: 'channel',
      flags: 0,
      json,
      files,
      sizeLimit: this.fake.attachmentSizeLimit,
    });
    if (nonce !== undefined) message.nonce = nonce;
    return { ...apiMessage(message, this.fake), ...(nonce !== undefined ? { nonce } : {}) };
  }

  /** A channel's messages, newest first: `after` an id, at most `limit` (1 to 100, default 50). */
  private listChannelMessages(channelId: string, query: URLSearchParams): unknown {
    const channel = this.fake.channels.get(channelId);
    if (!channel) throw new ApiFailure(404, 10003, 'Unknown Channel');
    if (!channel.botCanPost) throw new ApiFailure(403, 50001, 'Missing Access');
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new ApiFailure(400, 50035, 'Invalid Form Body: limit');
    const after = BigInt(query.get('after') ?? 0);
    return this.fake
      .messagesIn(channelId)
      .filter(
        (message) =>
          BigInt(message.id) > after && !(current(message).flags & MessageFlag.Ephemeral),
      )
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit)
      .map((message) => apiMessage(message, this.fake));
  }

  private channelMessage(
    method: string,
    channelId: string,
    messageId: string,
    json: Record<string, unknown>,
    files: UploadedFile[],
  ): unknown {
    const channel = this.fake.channels.get(channelId);
    if (!channel) throw new ApiFailure(404, 10003, 'Unknown Channel');
    if (!channel.botCanPost) throw new ApiFailure(403, 50001, 'Missing Access');
    const message = this.fake.messages.get(messageId);
    // Ephemeral messages exist only for their recipient; the bot token cannot see them.
    const visible =
      message &&
      !message.deleted &&
      message.channelId === channelId &&
      !(current(message).flags & MessageFlag.Ephemeral);
    if (!visible) throw new ApiFailure(404, 10008, 'Unknown Message');
    if (method === 'GET') return apiMessage(message, this.fake);
    if (method === 'DELETE') {
      message.deleted = true;
      return undefined;
    }
    if (method !== 'PATCH') throw new ApiFailure(405, 0, '405: Method Not Allowed');
    this.fake.store.edit(message, json, files, 'channel', this.fake.attachmentSizeLimit);
    return apiMessage(message, this.fake);
  }

  private openDm(recipientId: string): unknown {
    const channel =
      this.fake.dmChannelOf(recipientId) ??
      this.fake.addChannel({ name: `dm-${recipientId}`, guildId: undefined, type: 1, recipientId });
    return {
      id: channel.id,
      type: 1,
      recipients: [{ id: recipientId, username: 'someone', discriminator: '0', avatar: null }],
    };
  }

  /** The registered commands; their localization dicts only when asked `with_localizations`. */
  private getCommands(
    applicationId: string,
    guildId: string | undefined,
    withLocalizations: boolean,
  ): unknown {
    if (applicationId !== this.fake.applicationId)
      throw new ApiFailure(403, 50001, 'Missing Access');
    const commands = guildId
      ? (this.fake.guildCommands.get(guildId) ?? [])
      : this.fake.globalCommands;
    return withLocalizations ? commands : commands.map(withoutLocalizations);
  }

  private putCommands(
    applicationId: string,
    guildId: string | undefined,
    commands: RegisteredCommand[],
  ): unknown {
    if (applicationId !== this.fake.applicationId)
      throw new ApiFailure(403, 50001, 'Missing Access');
    if (!Array.isArray(commands)) throw new ApiFailure(400, 50035, 'Invalid Form Body');
    const registered = commands.map((command) => {
      const problem = commandProblem(command);
      if (problem) throw new ApiFailure(400, 50035, `Invalid Form Body: ${problem}`);
      return {
        ...command,
        id: snowflake(),
        application_id: applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.fake.guildCommands.set(guildId, registered);
    else this.fake.globalCommands.splice(0, this.fake.globalCommands.length, ...registered);
    return registered;
  }
}

/** A command as Discord lists it without `with_localizations`: no `*_localizations` dicts. */
function withoutLocalizations<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutLocalizations) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.endsWith('_localizations'))
      .map(([key, inner]) => [key, withoutLocalizations(inner)]),
  ) as T;
}
