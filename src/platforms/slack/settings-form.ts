import type { SettingsChange } from '../../conversation/interaction.js';
import { describeError } from '../../conversation/index.js';
import {
  checkedSettings,
  defaultSettings,
  type WorkspaceSettings,
} from '../../conversation/settings/index.js';
import { isUserError, type UserError } from '../../core/errors.js';
import { renderMessage } from '../../core/messages.js';
import type { Locale } from '../../i18n/index.js';
import './messages.js';
import { FIELD, SETTINGS_FIELD } from './render/ids.js';
import { DMS_ON } from './render/settings-modal.js';
import { slackWording } from './wording.js';

/** What the settings modal shows and sends: a budget `null` is the operator's default. */
export interface SettingsForm {
  daily: number | null;
  monthly: number | null;
  mode: WorkspaceSettings['channels']['mode'];
  ids: string[];
  dms: boolean;
  /** Absent when the blocklist was too long for the modal (it is then left alone). */
  blocklist?: string[];
  auditChannel: string | null;
}

export function formOf(settings: WorkspaceSettings): SettingsForm {
  return {
    daily: settings.dailyCredits ?? null,
    monthly: settings.monthlyCredits ?? null,
    mode: settings.channels.mode,
    ids: [...settings.channels.ids],
    dms: settings.dms,
    blocklist: [...settings.blocklist],
    auditChannel: settings.auditChannel ?? null,
  };
}

interface InputState {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }> | null;
  selected_conversation?: string | null;
  selected_conversations?: string[] | null;
}

export type FormValues = Record<string, Record<string, InputState> | undefined>;

const WHOLE = /^\d{1,10}$/;
const MODES = new Set(['all', 'allow', 'deny']);

/** The error Slack shows under a field: errors by block id. */
export type FieldErrors = Record<string, string>;

/**
 * The form as sent, checked as the settings service will check it on save, or the errors to show
 * next to their fields (the modal stays open), in the admin's language.
 */
export function readForm(
  values: FormValues,
  hasBlocklist: boolean,
  locale: Locale = 'en',
): { form: SettingsForm } | { errors: FieldErrors } {
  const field = (block: string) => values[block]?.[FIELD.value];
  const errors: FieldErrors = {};
  const budget = (block: string): number | null => {
    const typed = (field(block)?.value ?? '').trim();
    if (typed === '') return null;
    if (WHOLE.test(typed)) return Number(typed);
    errors[block] = renderMessage(
      'slack_settings_not_a_number',
      { value: typed.slice(0, 40) },
      locale,
    );
    return null;
  };
  const mode = field(SETTINGS_FIELD.channelMode)?.selected_option?.value ?? 'all';
  const form: SettingsForm = {
    daily: budget(SETTINGS_FIELD.daily),
    monthly: budget(SETTINGS_FIELD.monthly),
    mode: MODES.has(mode) ? (mode as SettingsForm['mode']) : 'all',
    ids: field(SETTINGS_FIELD.channels)?.selected_conversations ?? [],
    dms: (field(SETTINGS_FIELD.dms)?.selected_options ?? []).some(
      (option) => option.value === DMS_ON,
    ),
    ...(hasBlocklist
      ? { blocklist: (field(SETTINGS_FIELD.blocklist)?.value ?? '').split('\n') }
      : {}),
    auditChannel: field(SETTINGS_FIELD.auditChannel)?.selected_conversation ?? null,
  };
  if (Object.keys(errors).length > 0) return { errors };
  const checked = checkedSettings(settingsOf(form));
  if (isUserError(checked)) return { errors: { [fieldOf(checked)]: describe(checked, locale) } };
  return {
    form: {
      ...form,
      ids: checked.channels.ids,
      ...(form.blocklist ? { blocklist: checked.blocklist } : {}),
    },
  };
}

function settingsOf(form: SettingsForm): WorkspaceSettings {
  return {
    ...defaultSettings(),
    ...(form.daily === null ? {} : { dailyCredits: form.daily }),
    ...(form.monthly === null ? {} : { monthlyCredits: form.monthly }),
    channels: { mode: form.mode, ids: form.ids },
    dms: form.dms,
    blocklist: form.blocklist ?? [],
    ...(form.auditChannel === null ? {} : { auditChannel: form.auditChannel }),
  };
}

function describe(error: UserError, locale: Locale): string {
  return describeError(error, slackWording, undefined, locale).text;
}

/** Which field a settings refusal belongs under. */
function fieldOf(error: UserError): string {
  const params = error.params as { setting?: string; list?: string };
  switch (error.code) {
    case 'settings_credits_invalid':
      return params.setting?.includes('monthly') ? SETTINGS_FIELD.monthly : SETTINGS_FIELD.daily;
    case 'settings_list_too_long':
      return params.list === 'channel' ? SETTINGS_FIELD.channels : SETTINGS_FIELD.blocklist;
    case 'settings_id_invalid':
      return SETTINGS_FIELD.channels;
    default:
      return SETTINGS_FIELD.blocklist;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * The changes an admin made in the form: what differs from what it showed when opened, so a
 * change someone else saved meanwhile (a blocklist entry added by command) is kept. A blocklist
 * the form could not carry is compared with `current` instead.
 */
export function changesMade(
  shown: SettingsForm,
  sent: SettingsForm,
  current: WorkspaceSettings,
): SettingsChange[] {
  const changes: SettingsChange[] = [];
  const budget: { daily?: number | null; monthly?: number | null } = {};
  if (sent.daily !== shown.daily) budget.daily = sent.daily;
  if (sent.monthly !== shown.monthly) budget.monthly = sent.monthly;
  if (Object.keys(budget).length > 0) changes.push({ budget });
  if (sent.mode !== shown.mode || !sameList(sent.ids, shown.ids))
    changes.push({ channels: { mode: sent.mode, ids: sent.ids } });
  if (sent.dms !== shown.dms) changes.push({ dms: sent.dms });
  if (sent.blocklist) {
    const before = shown.blocklist ?? current.blocklist;
    const add = sent.blocklist.filter((entry) => !before.includes(entry));
    const remove = before.filter((entry) => !sent.blocklist!.includes(entry));
    if (add.length > 0 || remove.length > 0)
      changes.push({
        blocklist: { ...(add.length > 0 ? { add } : {}), ...(remove.length > 0 ? { remove } : {}) },
      });
  }
  if (sent.auditChannel !== shown.auditChannel) changes.push({ auditChannel: sent.auditChannel });
  return changes;
}
