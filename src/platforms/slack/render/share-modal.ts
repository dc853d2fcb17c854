import type { types } from '@slack/bolt';
import { translator, type Locale } from '../../../i18n/index.js';
import { encodeButtonValue, FIELD, VIEW, type ButtonValue } from './ids.js';
import { plain } from './text.js';

/** The share picker: a channel to post a copy of the result in. Carries the button's ids along. */
export function shareModal(value: ButtonValue, locale: Locale = 'en'): types.ModalView {
  const t = translator(locale);
  return {
    type: 'modal',
    callback_id: VIEW.share,
    title: plain(t('slack.share.title')),
    submit: plain(t('slack.share.submit')),
    close: plain(t('slack.modal.cancel')),
    private_metadata: encodeButtonValue(value),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.channel,
        label: plain(t('slack.share.to')),
        element: {
          type: 'conversations_select',
          action_id: FIELD.value,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
    ],
  };
}
