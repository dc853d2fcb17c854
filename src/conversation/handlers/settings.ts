import {
  describeMonthReset,
  describeReset,
  serverPoolCharges,
  type PoolStatus,
} from '../../core/budget-pools.js';
import type { Locale } from '../../i18n/index.js';
import type { ConversationContext } from '../context.js';
import type { SettingsChange } from '../interaction.js';
import type { WorkspaceSettings } from '../settings/index.js';
import type { ServerPoolView, SettingsView } from '../views.js';

/** The settings with one admin change applied (validated by the settings service on save). */
export function withChange(settings: WorkspaceSettings, change: SettingsChange): WorkspaceSettings {
  const next = structuredClone(settings);
  if ('budget' in change) {
    for (const period of ['daily', 'monthly'] as const) {
      const value = change.budget[period];
      const field = period === 'daily' ? 'dailyCredits' : 'monthlyCredits';
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
  } else if ('channels' in change) next.channels = { ...change.channels };
  else if ('dms' in change) next.dms = change.dms;
  else if ('roles' in change) next.roles = [...change.roles];
  else if ('roleAllowance' in change) {
    const { role, daily } = change.roleAllowance;
    if (daily === null) delete next.roleAllowances[role];
    else next.roleAllowances[role] = daily;
  } else if ('blocklist' in change) {
    const removed = new Set((change.blocklist.remove ?? []).map((entry) => entry.trim()));
    next.blocklist = [
      ...next.blocklist.filter((entry) => !removed.has(entry)),
      ...(change.blocklist.add ?? []),
    ];
  } else if (change.auditChannel === null) delete next.auditChannel;
  else next.auditChannel = change.auditChannel;
  return next;
}

/** A pool as /quota and the settings show it. */
export function poolView(pool: PoolStatus, now: number, locale: Locale = 'en'): ServerPoolView {
  const { pool: _name, ...rest } = pool;
  return {
    ...rest,
    resetsIn:
      pool.period === 'day'
        ? describeReset(pool.resetsAt, now, locale)
        : describeMonthReset(pool.resetsAt, now, locale),
  };
}

/** The settings an admin sees, with the budgets that apply and how much of them is used. */
export async function settingsView(
  workspace: string,
  settings: WorkspaceSettings,
  context: ConversationContext,
  extra: Pick<SettingsView, 'changed'>,
  locale: Locale = 'en',
): Promise<SettingsView> {
  const defaults = context.controls.defaultBudget;
  const sourceOf = (own: number | undefined, operator: number | undefined) =>
    own !== undefined ? 'server' : operator !== undefined ? 'operator' : 'none';
  const daily = settings.dailyCredits ?? defaults.daily;
  const monthly = settings.monthlyCredits ?? defaults.monthly;
  const charges = serverPoolCharges(
    workspace,
    { daily: settings.dailyCredits, monthly: settings.monthlyCredits },
    defaults,
  );
  const pools = await context.service.poolStatus(charges);
  const now = context.now();
  return {
    kind: 'settings',
    settings,
    budget: {
      ...(daily === undefined ? {} : { daily }),
      ...(monthly === undefined ? {} : { monthly }),
    },
    budgetSource: {
      daily: sourceOf(settings.dailyCredits, defaults.daily),
      monthly: sourceOf(settings.monthlyCredits, defaults.monthly),
    },
    pools: pools.map((pool) => poolView(pool, now, locale)),
    sharedBlocklistSize: context.controls.sharedBlocklist.length,
    ...extra,
  };
}
