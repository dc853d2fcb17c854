import type { ResolvedOptions } from './commands.js';
import { apiAttachment, apiUser } from './payloads.js';
import type { FakeAttachment } from './state.js';

/**
 * Discord's `data.resolved` for the users, channels, roles and files a command's options named,
 * or undefined when they named none.
 */
export function resolvedPayload(
  resolved: ResolvedOptions,
  attachments: readonly FakeAttachment[],
  guildId: string | undefined,
): Record<string, unknown> | undefined {
  const parts: Record<string, unknown> = {};
  if (attachments.length > 0)
    parts.attachments = Object.fromEntries(
      attachments.map((attachment) => [attachment.id, apiAttachment(attachment)]),
    );
  if (resolved.users.size > 0) {
    const users = [...resolved.users];
    parts.users = Object.fromEntries(users.map(([id, user]) => [id, apiUser(user)]));
    if (guildId)
      parts.members = Object.fromEntries(
        users.map(([id]) => [
          id,
          { roles: [], joined_at: new Date(0).toISOString(), permissions: '0' },
        ]),
      );
  }
  if (resolved.channels.size > 0)
    parts.channels = Object.fromEntries(
      [...resolved.channels].map(([id, channel]) => [
        id,
        { id, name: channel.name, type: channel.type, permissions: '0' },
      ]),
    );
  if (resolved.roles.size > 0)
    parts.roles = Object.fromEntries(
      [...resolved.roles].map(([id, role]) => [
        id,
        { id, name: role.name, color: 0, hoist: false, position: 1, permissions: '0' },
      ]),
    );
  return Object.keys(parts).length > 0 ? parts : undefined;
}
