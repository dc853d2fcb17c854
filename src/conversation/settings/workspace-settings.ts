import type { UserError } from '../../core/errors.js';
import { refusal } from '../messages.js';
import { REGEX_PREFIX, ruleProblemOf } from './prompt-rules.js';
import { translate } from '../../i18n/index.js';

/** Where in a server generation works: everywhere, only the listed channels, or all but them. */
export interface ChannelRule {
  mode: 'all' | 'allow' | 'deny';
  ids: string[];
}

/**
 * One Discord server's or Slack workspace's admin settings. Every field's default keeps the bot
 * as it was before admins could set anything.
 */
export interface WorkspaceSettings {
  /** The server's pool per UTC day; unset: SERVER_DAILY_CREDITS. */
  dailyCredits?: number;
  /** The server's pool per calendar month (UTC); unset: SERVER_MONTHLY_CREDITS. */
  monthlyCredits?: number;
  channels: ChannelRule;
  /** Direct messages with the bot count as part of this workspace (Slack) and may generate. */
  dms: boolean;
  /** Roles allowed to generate (Discord); empty: everyone. */
  roles: string[];
  /** A role's daily credits per member (Discord); a member gets the highest of their roles'. */
  roleAllowances: Record<string, number>;
  /** Words, phrases and `re:` regular expressions that block a prompt. */
  blocklist: string[];
  /** Where each generation is posted as one line; unset: nowhere. */
  auditChannel?: string;
}

/** A fresh copy of the defaults, safe to change. */
export function defaultSettings(): WorkspaceSettings {
  return {
    channels: { mode: 'all', ids: [] },
    dms: true,
    roles: [],
    roleAllowances: {},
    blocklist: [],
  };
}

export const MAX_BLOCKLIST_ENTRIES = 500;
/**
 * A server's regular expressions each take up to a few milliseconds on the longest prompt (see
 * MAX_MATCH_WAYS); this keeps one server's rules from slowing every generation down.
 */
export const MAX_REGEX_ENTRIES = 50;
export const MAX_LISTED_IDS = 100;
/** More credits than any pool could sensibly need; keeps arithmetic far from unsafe integers. */
export const MAX_CREDITS = 1_000_000_000;
/** Discord snowflakes, Slack ids (C…, G…, D…, roles' names are not ids). */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/** A stored record read back with every field present, whatever version of the bot wrote it. */
export function withDefaults(stored: Partial<WorkspaceSettings> | undefined): WorkspaceSettings {
  const settings = { ...defaultSettings(), ...stored };
  return {
    ...settings,
    channels: { ...defaultSettings().channels, ...settings.channels },
  };
}

function creditsProblem(setting: string, value: number | undefined): UserError | undefined {
  if (value === undefined) return undefined;
  return Number.isInteger(value) && value >= 0 && value <= MAX_CREDITS
    ? undefined
    : refusal('settings_credits_invalid', { setting, value });
}

function idsProblem(ids: readonly string[], list: string): UserError | undefined {
  if (ids.length > MAX_LISTED_IDS)
    return refusal('settings_list_too_long', { list, max: MAX_LISTED_IDS });
  const bad = ids.find((id) => !ID_SHAPE.test(id));
  return bad === undefined ? undefined : refusal('settings_id_invalid', { id: bad });
}

function uniqueTrimmed(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/**
 * The settings as they would be saved: lists trimmed and without repeats, or the refusal an admin
 * sees for the first thing wrong (a bad regular expression names its entry and what is wrong).
 */
export function checkedSettings(settings: WorkspaceSettings): WorkspaceSettings | UserError {
  const tidy: WorkspaceSettings = {
    ...settings,
    channels: { mode: settings.channels.mode, ids: uniqueTrimmed(settings.channels.ids) },
    roles: uniqueTrimmed(settings.roles),
    blocklist: uniqueTrimmed(settings.blocklist),
  };
  const problem =
    creditsProblem('daily server budget', tidy.dailyCredits) ??
    creditsProblem('monthly server budget', tidy.monthlyCredits) ??
    Object.entries(tidy.roleAllowances)
      .map(
        ([role, credits]) =>
          idsProblem([role], 'role') ?? creditsProblem('role allowance', credits),
      )
      .find(Boolean) ??
    idsProblem(tidy.channels.ids, 'channel') ??
    idsProblem(tidy.roles, 'role') ??
    (tidy.auditChannel === undefined ? undefined : idsProblem([tidy.auditChannel], 'channel')) ??
    blocklistProblem(tidy.blocklist);
  return problem ?? tidy;
}

function blocklistProblem(entries: readonly string[]): UserError | undefined {
  if (entries.length > MAX_BLOCKLIST_ENTRIES)
    return refusal('settings_list_too_long', { list: 'blocklist', max: MAX_BLOCKLIST_ENTRIES });
  if (entries.filter((entry) => entry.startsWith(REGEX_PREFIX)).length > MAX_REGEX_ENTRIES)
    return refusal('settings_list_too_long', {
      list: 'regular expression',
      max: MAX_REGEX_ENTRIES,
    });
  for (const entry of entries) {
    const problem = ruleProblemOf(entry);
    if (problem)
      return refusal('blocklist_entry_invalid', {
        entry,
        reason: translate('en', problem.key, problem.params),
        problem,
      });
  }
  return undefined;
}
