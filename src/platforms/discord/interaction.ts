import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  PermissionsBitField,
  SnowflakeUtil,
  type REST,
} from 'discord.js';
import type { Actor, Conversation, Intent, Interaction, Place } from '../../conversation/index.js';
import type { UserError } from '../../core/errors.js';
import type { ImageFetcher } from '../../core/images.js';
import { resolveLocale, type Locale } from '../../i18n/index.js';
import type { Logger } from '../../log.js';
import { discordAnswer } from './answer.js';
import { userOf, type InteractionPayload } from './payload.js';
import { InteractionReplies } from './replies.js';
import type { InteractionResponder } from './responder.js';
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, tokenExpiry, userKey } from './target.js';

/** What every interaction's translation uses, the same for the adapter's whole life. */
export interface DiscordServices {
  conversation: Conversation;
  /** Interaction callbacks, webhook edits and shared posts (waits out rate limits: they are one-off). */
  rest: REST;
  logger: Logger;
  fetcher: ImageFetcher;
  /** DEFAULT_LOCALE: for people whose language neither they nor their server give the bot. */
  defaultLocale: Locale;
}

const POST_RIGHTS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];

/** Permissions as Discord resolved them for this interaction (a string of bits); none when absent. */
function permissionsOf(bits: unknown): PermissionsBitField {
  return new PermissionsBitField(
    typeof bits === 'string' && /^\d+$/.test(bits) ? BigInt(bits) : 0n,
  );
}

/** The channels a select menu or option resolved, with the actor's permissions in each. */
function resolvedChannelPermissions(payload: InteractionPayload, channelId: string): unknown {
  const data = payload.data as {
    resolved?: { channels?: Record<string, { permissions?: unknown }> };
  };
  return data.resolved?.channels?.[channelId]?.permissions;
}

/** The person, with what Discord says they may do here (an Administrator may do everything). */
function actorOf(payload: InteractionPayload): Actor {
  const user = userOf(payload);
  const member = payload.member ? permissionsOf(payload.member.permissions) : undefined;
  return {
    key: userKey(user.id),
    id: user.id,
    displayName: user.global_name ?? user.username,
    mayModerate: () => Promise.resolve(member?.has(PermissionFlagsBits.ManageMessages) ?? false),
    mayAdminister: () => Promise.resolve(member?.has(PermissionFlagsBits.ManageGuild) ?? false),
    mayPostIn: (channelId) =>
      Promise.resolve(
        permissionsOf(resolvedChannelPermissions(payload, channelId)).has(POST_RIGHTS),
      ),
    // Only a server's interactions carry a member; a DM has no roles and no role rules. Every
    // member has @everyone, whose id is the server's, though Discord leaves it out of the list.
    ...(payload.member && payload.guild_id
      ? { roleIds: [...payload.member.roles, payload.guild_id] }
      : {}),
  };
}

function placeOf(payload: InteractionPayload): Place {
  return {
    platform: 'discord',
    ...(payload.guild_id ? { workspaceId: payload.guild_id } : {}),
    channelId: channelIdOf(payload),
    ...threadParentOf(payload),
    direct: !payload.guild_id,
  };
}

const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** A thread's channel, so a server's channel rules reach the threads inside a listed channel. */
function threadParentOf(payload: InteractionPayload): Pick<Place, 'parentChannelId'> {
  const channel = payload.channel;
  if (!channel || !THREAD_TYPES.has(channel.type)) return {};
  const parent = (channel as { parent_id?: unknown }).parent_id;
  return typeof parent === 'string' ? { parentChannelId: parent } : {};
}

export function channelIdOf(payload: InteractionPayload): string {
  // payloadProblem made sure one of them is there.
  return payload.channel_id ?? payload.channel!.id;
}

/**
 * One interaction from either transport, as the command and component files see it: the raw
 * payload, its answers, and the way into the conversation.
 */
export class DiscordInteraction<P extends InteractionPayload = InteractionPayload> {
  readonly replies: InteractionReplies;

  constructor(
    readonly payload: P,
    responder: InteractionResponder,
    readonly services: DiscordServices,
  ) {
    this.replies = new InteractionReplies(
      responder,
      services.rest,
      { id: payload.id, token: payload.token, applicationId: payload.application_id },
      services.logger,
    );
  }

  get id(): string {
    return this.payload.id;
  }

  /** When the token stops working: 15 minutes after the interaction was made. */
  get tokenExpiresAt(): number {
    return tokenExpiry(SnowflakeUtil.timestampFrom(this.payload.id));
  }

  get attachmentSizeLimit(): number {
    return this.payload.attachment_size_limit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT;
  }

  /** Hands what the person asked to the conversation, which decides and answers. */
  handle(intent: Intent, options: { private?: boolean } = {}): Promise<void> {
    return this.services.conversation.handle({
      ...this.neutral(),
      ...(options.private ? { private: true } : {}),
      intent,
    });
  }

  /** A refusal met while translating (an option left out), told and logged as the conversation's own. */
  refuse(intent: Intent, error: UserError): Promise<void> {
    return this.services.conversation.refuse({ ...this.neutral(), intent }, error);
  }

  /**
   * The language to answer in: the person's own Discord language, else the server's (a community
   * server's primary language), when the bot speaks it; else DEFAULT_LOCALE.
   */
  get locale(): Locale {
    return resolveLocale(
      [this.payload.locale, this.payload.guild_locale],
      this.services.defaultLocale,
    );
  }

  /**
   * The language of what is posted for everyone here (a shared copy): the server's primary
   * language when the bot speaks it, else DEFAULT_LOCALE; in a DM, the person's own.
   */
  get placeLocale(): Locale {
    if (!this.payload.guild_id) return this.locale;
    return resolveLocale([this.payload.guild_locale], this.services.defaultLocale);
  }

  /**
   * Whether the bot itself is here: the bot's DM, or a server that installed the app. A person's
   * own install works in servers without the bot and in DMs between people, where only the
   * interaction's own response (and its follow-ups) can show anything.
   */
  get botMayPostHere(): boolean {
    const { context, authorizing_integration_owners: owners } = this.payload;
    if (context === undefined || owners === undefined) return true;
    if (context === InteractionContextType.BotDM) return true;
    if (context === InteractionContextType.PrivateChannel) return false;
    return owners[ApplicationIntegrationType.GuildInstall] !== undefined;
  }

  /** The person who acted, with what Discord says they may do here. */
  get actor(): Actor {
    return actorOf(this.payload);
  }

  /** Something the bot cannot translate at all (a button of an older version): reported as any failure. */
  fail(error: Error): Promise<void> {
    return this.services.conversation.fail(this.neutral(), error);
  }

  /** Who acted, where, in which language, and how to answer them. */
  private neutral(): Omit<Interaction, 'intent'> {
    return {
      id: this.payload.id,
      actor: actorOf(this.payload),
      place: placeOf(this.payload),
      locale: this.locale,
      placeLocale: this.placeLocale,
      answer: discordAnswer(this),
    };
  }
}
