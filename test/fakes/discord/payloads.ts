import type { FakeUser } from './commands.js';
import { current, type FakeAttachment, type FakeMessage } from './state.js';

/** Permission bits the fake and its tests talk about (https://discord.com/developers/docs/topics/permissions). */
export const Permission = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
} as const;

/** What an ordinary member may do in an ordinary channel. */
export const MEMBER_PERMISSIONS =
  Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.AttachFiles;

export function apiUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.username,
    avatar: null,
  };
}

export function apiMember(
  user: FakeUser,
  permissions: bigint,
  roles: readonly string[] = [],
): Record<string, unknown> {
  return {
    user: apiUser(user),
    roles: [...roles],
    permissions: permissions.toString(),
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    avatar: null,
    premium_since: null,
    pending: false,
    communication_disabled_until: null,
  };
}

/** An attachment as Discord describes one (on messages and in `resolved.attachments`). */
export function apiAttachment(attachment: FakeAttachment): Record<string, unknown> {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.url,
    // Left out when the uploader's client could not tell, as Discord does.
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
  };
}

/** A message as the REST API and the gateway return it. */
export function apiMessage(
  message: FakeMessage,
  context: { bot: FakeUser; applicationId: string },
): Record<string, unknown> {
  const revision = current(message);
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    author: message.author ? apiUser(message.author) : { ...apiUser(context.bot), bot: true },
    content: revision.content,
    embeds: revision.embeds,
    components: revision.components,
    attachments: revision.attachments.map(apiAttachment),
    flags: revision.flags,
    timestamp: new Date(message.revisions[0]!.at).toISOString(),
    edited_timestamp: message.revisions.length > 1 ? new Date(revision.at).toISOString() : null,
    type: message.interactionId ? 20 : 0,
    tts: false,
    mention_everyone: revision.pings.everyone,
    mentions: [],
    mention_roles: revision.pings.roles,
    pinned: false,
    ...(message.interactionId
      ? { webhook_id: context.applicationId, application_id: context.applicationId }
      : {}),
  };
}
