import { expect } from 'vitest';
import type { FakeUser, OptionValue } from './commands.js';
import type { DiscordTestBed } from './harness.js';
import { isLoading, showsFailure, showsImage } from './harness.js';
import { MEMBER_PERMISSIONS, Permission } from './payloads.js';
import { current, MessageFlag, type FakeMessage, type MessageRevision } from './state.js';

/** A server's admin, as Discord's default permissions for /imagine-admin require. */
export const ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | Permission.ManageGuild;
export const NOBODY_PINGED = { everyone: false, users: [], roles: [] };

export interface TestServer {
  guildId: string;
  channelId: string;
}

/**
 * A server of its own on the bot's shard, so a test's settings never mix with another's; with
 * `locale`, its primary language (Server Settings → Community).
 */
export function newServer(bed: DiscordTestBed, locale?: string): TestServer {
  const server = bed.fake.addGuildOnShard(0, 1);
  if (locale) bed.fake.guildLocales.set(server.guildId, locale);
  return server;
}

export interface AdminCaller {
  user: FakeUser;
  permissions?: bigint;
  granted?: boolean;
  uploadLimit?: number;
}

/**
 * Runs an /imagine-admin subcommand and returns its answer once it is there; every admin answer
 * is private and pings nobody.
 */
export async function runAdminCommand(
  bed: DiscordTestBed,
  server: TestServer,
  subcommand: string,
  options: Record<string, OptionValue>,
  as: AdminCaller,
): Promise<MessageRevision> {
  const reply = await bed.fake.runCommand({
    name: 'imagine-admin',
    subcommand,
    options,
    user: as.user,
    guildId: server.guildId,
    channelId: server.channelId,
    memberPermissions: as.permissions ?? ADMIN_PERMISSIONS,
    ...(as.granted ? { grantedByServerSettings: true } : {}),
    ...(as.uploadLimit ? { attachmentSizeLimit: as.uploadLimit } : {}),
  });
  const message = await reply.waitForResponse((revision) => !isLoading(revision), 'the answer');
  const revision = current(message);
  expect(revision.flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
  expect(revision.pings).toEqual(NOBODY_PINGED);
  return revision;
}

export interface Ask {
  prompt?: string;
  resolution?: '1K' | '2K' | '4K';
  channelId?: string;
  roles?: string[];
}

/** A member's /imagine in a server, to its end: the result, the failure, or a refusal (what they read). */
export async function imagineIn(
  bed: DiscordTestBed,
  server: TestServer,
  user: FakeUser,
  ask: Ask = {},
): Promise<MessageRevision> {
  const reply = await bed.fake.runCommand({
    name: 'imagine',
    user,
    guildId: server.guildId,
    channelId: ask.channelId ?? server.channelId,
    memberRoles: ask.roles ?? [],
    options: { prompt: ask.prompt ?? 'a lighthouse', resolution: ask.resolution ?? '1K' },
  });
  const message = await bed.fake.waitFor(
    () =>
      [reply.response(), ...reply.followups()].find((candidate): candidate is FakeMessage => {
        if (!candidate || candidate.deleted) return false;
        const revision = current(candidate);
        return showsImage(revision) || showsFailure(revision) || revision.content !== '';
      }),
    `the outcome of ${reply.id}`,
  );
  return current(message);
}
