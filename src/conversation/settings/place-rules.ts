import type { UserError } from '../../core/errors.js';
import type { Place } from '../interaction.js';
import { refusal } from '../messages.js';
import type { WorkspaceSettings } from './workspace-settings.js';

/**
 * Why generation is refused in this place under the server's settings, or undefined. A DM
 * follows the `dms` switch (channel lists are about the server's channels); the refusal says
 * where generation does work.
 */
export function placeRefusal(
  settings: WorkspaceSettings,
  place: Pick<Place, 'channelId' | 'parentChannelId' | 'direct'>,
): UserError | undefined {
  if (place.direct) return settings.dms ? undefined : refusal('dms_not_allowed');
  const { mode, ids } = settings.channels;
  // A thread follows the channel it is in, unless it is listed itself.
  const listed = [place.channelId, place.parentChannelId].some(
    (id) => id !== undefined && ids.includes(id),
  );
  if (mode === 'allow' && !listed) {
    return ids.length === 0
      ? refusal('no_channel_allowed')
      : refusal('channel_not_allowed', { channelIds: ids });
  }
  if (mode === 'deny' && listed) return refusal('channel_not_allowed', { channelIds: [] });
  return undefined;
}

/**
 * Why this member may not generate under the server's role gate, or undefined. `roleIds`
 * undefined: the platform has no roles (Slack, the playground), so the gate does not apply.
 */
export function roleRefusal(
  settings: WorkspaceSettings,
  roleIds: readonly string[] | undefined,
): UserError | undefined {
  if (settings.roles.length === 0 || roleIds === undefined) return undefined;
  return roleIds.some((role) => settings.roles.includes(role))
    ? undefined
    : refusal('role_not_allowed', { roleIds: settings.roles });
}

/** The member's daily credits from their roles: the highest role allowance, or undefined if none. */
export function allowanceFor(
  settings: WorkspaceSettings,
  roleIds: readonly string[] | undefined,
): number | undefined {
  const allowances = (roleIds ?? [])
    .filter((role) => Object.hasOwn(settings.roleAllowances, role))
    .map((role) => settings.roleAllowances[role]!);
  return allowances.length === 0 ? undefined : Math.max(...allowances);
}
