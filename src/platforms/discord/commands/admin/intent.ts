import type { Intent, PersonRef } from '../../../../conversation/index.js';
import type { SettingsChange } from '../../../../conversation/interaction.js';
import { refusal } from '../../../../conversation/messages.js';
import { optionValue, type CommandOptions } from '../../payload.js';
import { userKey } from '../../target.js';
import { listedNames } from './definition.js';

function person(userId: unknown): PersonRef | undefined {
  return typeof userId === 'string' ? { key: userKey(userId), id: userId } : undefined;
}

function whole(options: CommandOptions | undefined, name: string): number | undefined {
  const value = optionValue(options, name);
  return typeof value === 'number' ? value : undefined;
}

function text(options: CommandOptions | undefined, name: string): string | undefined {
  const value = optionValue(options, name);
  return typeof value === 'string' ? value : undefined;
}

/** The ids of `channel`, `channel-2` …, in order, each once. */
function listed(options: CommandOptions | undefined, base: string): string[] {
  const ids = listedNames(base).flatMap((name) => text(options, name) ?? []);
  return [...new Set(ids)];
}

const show = (change?: SettingsChange): Intent =>
  change ? { kind: 'settings', change } : { kind: 'settings' };

function budget(options: CommandOptions | undefined): Intent {
  const reset = text(options, 'reset');
  const daily = reset === 'daily' || reset === 'both' ? null : whole(options, 'daily');
  const monthly = reset === 'monthly' || reset === 'both' ? null : whole(options, 'monthly');
  if (daily === undefined && monthly === undefined) return show();
  return show({
    budget: {
      ...(daily === undefined ? {} : { daily }),
      ...(monthly === undefined ? {} : { monthly }),
    },
  });
}

function blocklist(options: CommandOptions | undefined): Intent {
  const action = text(options, 'action');
  const entry = text(options, 'entry')?.trim();
  if (action === 'list') return show();
  if (!entry) throw refusal('admin_option_missing', { option: 'entry' });
  return show({ blocklist: action === 'remove' ? { remove: [entry] } : { add: [entry] } });
}

/**
 * What an `/imagine-admin` subcommand asks, or undefined for one this version does not have.
 * Lists (channels, roles) replace the server's list: `/imagine-admin settings` shows it first.
 */
export function adminIntent(
  subcommand: string | undefined,
  options: CommandOptions | undefined,
): Intent | undefined {
  switch (subcommand) {
    case 'settings':
      return show();
    case 'budget':
      return budget(options);
    case 'channels': {
      const mode = text(options, 'mode');
      if (mode === 'all') return show({ channels: { mode, ids: [] } });
      if (mode !== 'allow' && mode !== 'deny') return undefined;
      return show({ channels: { mode, ids: listed(options, 'channel') } });
    }
    case 'roles':
      return show({ roles: listed(options, 'role') });
    case 'role-credits': {
      const role = text(options, 'role');
      if (!role) return undefined;
      return show({ roleAllowance: { role, daily: whole(options, 'daily') ?? null } });
    }
    case 'blocklist':
      return blocklist(options);
    case 'usage': {
      const member = person(optionValue(options, 'user'));
      return member ? { kind: 'usage', person: member } : { kind: 'usage' };
    }
    case 'export':
      return { kind: 'export' };
    case 'audit-channel':
      return show({ auditChannel: text(options, 'channel') ?? null });
    case 'credits': {
      const member = person(optionValue(options, 'user'));
      const daily = whole(options, 'daily');
      return member && daily !== undefined
        ? { kind: 'set-credits', person: member, daily }
        : undefined;
    }
    default:
      return undefined;
  }
}
