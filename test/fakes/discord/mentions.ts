/** Who a message actually pings: what a person in the channel would be notified about. */
export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
}

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
}

/**
 * Discord's rule: mentions in `content` ping only when `allowed_mentions` allows them; without
 * `allowed_mentions` everything in the content pings. Embeds never ping.
 */
export function resolvePings(content: string, allowed: AllowedMentions | undefined): Pings {
  const parse = new Set(allowed ? (allowed.parse ?? []) : ['everyone', 'users', 'roles']);
  const allowedUsers = new Set(allowed?.users ?? []);
  const allowedRoles = new Set(allowed?.roles ?? []);
  const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1]!);
  const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1]!);
  return {
    everyone: parse.has('everyone') && /@(everyone|here)/.test(content),
    users: [...new Set(userIds.filter((id) => parse.has('users') || allowedUsers.has(id)))],
    roles: [...new Set(roleIds.filter((id) => parse.has('roles') || allowedRoles.has(id)))],
  };
}
