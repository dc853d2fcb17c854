import type { types } from '@slack/bolt';
import type { SettingsView } from '../../../conversation/index.js';
import { MAX_LISTED_IDS } from '../../../conversation/settings/index.js';
import { formOf, type SettingsForm } from '../settings-form.js';
import { FIELD, SETTINGS_FIELD, VIEW } from './ids.js';
import { mrkdwn, plain } from './text.js';

/** Slack's longest plain_text_input: a longer blocklist is edited with typed commands instead. */
export const MODAL_TEXT_MAX = 3_000;

const MODES = {
  all: 'Every channel',
  allow: 'Only the channels below',
  deny: 'Every channel except those below',
} as const;

function option(text: string, value: string) {
  return { text: plain(text), value };
}

export const DMS_ON = 'on';
const DMS_OPTION = option('Allow /imagine in direct messages with me', DMS_ON);

function budgetInput(view: SettingsView, period: 'daily' | 'monthly'): types.InputBlock {
  const own = view.budgetSource[period] === 'server' ? view.budget[period] : undefined;
  const operator =
    view.budgetSource[period] === 'operator' ? `${view.budget[period]} credits` : 'no cap';
  return {
    type: 'input',
    block_id: period === 'daily' ? SETTINGS_FIELD.daily : SETTINGS_FIELD.monthly,
    optional: true,
    label: plain(period === 'daily' ? 'Daily budget (credits)' : 'Monthly budget (credits)'),
    hint: plain(
      `Shared by everyone in the workspace, per UTC ${period === 'daily' ? 'day' : 'month'}. Empty: the operator's default${own === undefined ? ` (now ${operator})` : ''}.`,
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
export function settingsModal(view: SettingsView): types.ModalView {
  const { settings } = view;
  const mode = option(MODES[settings.channels.mode], settings.channels.mode);
  const blocklist = settings.blocklist.join('\n');
  const blocks: types.KnownBlock[] = [
    budgetInput(view, 'daily'),
    budgetInput(view, 'monthly'),
    {
      type: 'input',
      block_id: SETTINGS_FIELD.channelMode,
      label: plain('Where /imagine works'),
      element: {
        type: 'radio_buttons',
        action_id: FIELD.value,
        options: Object.entries(MODES).map(([value, text]) => option(text, value)),
        initial_option: mode,
      },
    },
    {
      type: 'input',
      block_id: SETTINGS_FIELD.channels,
      optional: true,
      label: plain('Channels'),
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
      label: plain('Direct messages'),
      element: {
        type: 'checkboxes',
        action_id: FIELD.value,
        options: [DMS_OPTION],
        ...(settings.dms ? { initial_options: [DMS_OPTION] } : {}),
      },
    },
  ];
  if (blocklist.length <= MODAL_TEXT_MAX)
    blocks.push({
      type: 'input',
      block_id: SETTINGS_FIELD.blocklist,
      optional: true,
      label: plain('Blocked prompts'),
      hint: plain(
        'One a line: a word or phrase, or re: and a regular expression. Case, accents and invisible characters are ignored.',
      ),
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
      text: mrkdwn(
        `The blocklist has ${settings.blocklist.length} entries, too long to edit here: use \`/imagine admin blocklist add &lt;entry&gt;\` and \`remove &lt;entry&gt;\`.`,
      ),
    });
  blocks.push({
    type: 'input',
    block_id: SETTINGS_FIELD.auditChannel,
    optional: true,
    label: plain('Audit channel'),
    hint: plain('Each generation is posted there as one line. Empty: none.'),
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
    title: plain('Workspace settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}
