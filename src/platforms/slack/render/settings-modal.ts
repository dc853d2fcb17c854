import type { types } from '@slack/bolt';
import type { SettingsView } from '../../../conversation/index.js';
import { MAX_LISTED_IDS } from '../../../conversation/settings/index.js';
import { translate, translator, type Locale, type MessageKey } from '../../../i18n/index.js';
import { formOf, type SettingsForm } from '../settings-form.js';
import { FIELD, SETTINGS_FIELD, VIEW } from './ids.js';
import { escapeMrkdwn, hintText, mrkdwn, plain } from './text.js';

/** Slack's longest plain_text_input: a longer blocklist is edited with typed commands instead. */
export const MODAL_TEXT_MAX = 3_000;

const MODES = {
  all: 'slack.admin.form.mode.all',
  allow: 'slack.admin.form.mode.allow',
  deny: 'slack.admin.form.mode.deny',
} as const satisfies Record<SettingsView['settings']['channels']['mode'], MessageKey>;

function option(text: string, value: string) {
  return { text: plain(text), value };
}

export const DMS_ON = 'on';
const dmsOption = (locale: Locale) =>
  option(translate(locale, 'slack.admin.form.dmsOption'), DMS_ON);

function budgetInput(
  view: SettingsView,
  period: 'daily' | 'monthly',
  locale: Locale,
): types.InputBlock {
  const t = translator(locale);
  const own = view.budgetSource[period] === 'server' ? view.budget[period] : undefined;
  const budget = view.budget[period];
  const operator =
    view.budgetSource[period] === 'operator' && budget !== undefined
      ? t('slack.admin.credits', { count: budget, n: String(budget) })
      : t('slack.admin.form.noCap');
  return {
    type: 'input',
    block_id: period === 'daily' ? SETTINGS_FIELD.daily : SETTINGS_FIELD.monthly,
    optional: true,
    label: plain(t(period === 'daily' ? 'slack.admin.form.daily' : 'slack.admin.form.monthly')),
    hint: hintText(
      own === undefined
        ? t(`slack.admin.form.hint.${period}Now`, { operator })
        : t(`slack.admin.form.hint.${period}`),
    ),
    element: {
      type: 'plain_text_input',
      action_id: FIELD.value,
      max_length: 10,
      ...(own === undefined ? {} : { initial_value: String(own) }),
    },
  };
}

/**
 * What the form showed, kept in the modal (up to Slack's 3,000 characters) so that its submission
 * changes only what the admin changed; a blocklist that does not fit is left out.
 */
function shownForm(view: SettingsView): string {
  const form = formOf(view.settings);
  const whole = JSON.stringify(form);
  if (whole.length <= MODAL_TEXT_MAX) return whole;
  const { blocklist: _left, ...rest } = form;
  return JSON.stringify(rest satisfies Omit<SettingsForm, 'blocklist'>);
}

/**
 * The workspace's settings as a form (App Home → Edit settings). Every field starts at what is
 * saved, so sending it unchanged changes nothing.
 */
export function settingsModal(view: SettingsView, locale: Locale = 'en'): types.ModalView {
  const t = translator(locale);
  const { settings } = view;
  const mode = option(t(MODES[settings.channels.mode]), settings.channels.mode);
  const dms = dmsOption(locale);
  const blocklist = settings.blocklist.join('\n');
  const blocks: types.KnownBlock[] = [
    budgetInput(view, 'daily', locale),
    budgetInput(view, 'monthly', locale),
    {
      type: 'input',
      block_id: SETTINGS_FIELD.channelMode,
      label: plain(t('slack.admin.form.where')),
      element: {
        type: 'radio_buttons',
        action_id: FIELD.value,
        options: Object.entries(MODES).map(([value, key]) => option(t(key), value)),
        initial_option: mode,
      },
    },
    {
      type: 'input',
      block_id: SETTINGS_FIELD.channels,
      optional: true,
      label: plain(t('slack.admin.form.channels')),
      element: {
        type: 'multi_conversations_select',
        action_id: FIELD.value,
        max_selected_items: MAX_LISTED_IDS,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(settings.channels.ids.length > 0
          ? { initial_conversations: settings.channels.ids }
          : {}),
      },
    },
    {
      type: 'input',
      block_id: SETTINGS_FIELD.dms,
      optional: true,
      label: plain(t('slack.admin.form.dms')),
      element: {
        type: 'checkboxes',
        action_id: FIELD.value,
        options: [dms],
        ...(settings.dms ? { initial_options: [dms] } : {}),
      },
    },
  ];
  if (blocklist.length <= MODAL_TEXT_MAX)
    blocks.push({
      type: 'input',
      block_id: SETTINGS_FIELD.blocklist,
      optional: true,
      label: plain(t('slack.admin.form.blocklist')),
      hint: hintText(t('slack.admin.form.blocklistHint')),
      element: {
        type: 'plain_text_input',
        action_id: FIELD.value,
        multiline: true,
        max_length: MODAL_TEXT_MAX,
        ...(blocklist === '' ? {} : { initial_value: blocklist }),
      },
    });
  else
    blocks.push({
      type: 'section',
      // Escaped: Slack reads `<entry>` as a link even inside code.
      text: mrkdwn(
        escapeMrkdwn(
          t('slack.admin.form.blocklistTooLong', { entries: String(settings.blocklist.length) }),
        ),
      ),
    });
  blocks.push({
    type: 'input',
    block_id: SETTINGS_FIELD.auditChannel,
    optional: true,
    label: plain(t('slack.admin.form.audit')),
    hint: hintText(t('slack.admin.form.auditHint')),
    element: {
      type: 'conversations_select',
      action_id: FIELD.value,
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(settings.auditChannel ? { initial_conversation: settings.auditChannel } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEW.settings,
    private_metadata: shownForm(view),
    title: plain(t('slack.admin.settings.title')),
    submit: plain(t('slack.admin.form.save')),
    close: plain(t('slack.modal.cancel')),
    blocks,
  };
}
