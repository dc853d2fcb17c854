import type { types } from '@slack/bolt';
import { encodeButtonValue, FIELD, VIEW, type ButtonValue } from './ids.js';
import { plain } from './text.js';

/** The share picker: a channel to post a copy of the result in. Carries the button's ids along. */
export function shareModal(value: ButtonValue): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.share,
    title: plain('Share image'),
    submit: plain('Share'),
    close: plain('Cancel'),
    private_metadata: encodeButtonValue(value),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.channel,
        label: plain('Share to'),
        element: {
          type: 'conversations_select',
          action_id: FIELD.value,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
    ],
  };
}
