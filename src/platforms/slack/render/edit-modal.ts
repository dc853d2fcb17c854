import type { types } from '@slack/bolt';
import type { EditForm } from '../../../conversation/answer.js';
import type { SourceInput } from '../../../conversation/interaction.js';
import { translator, type Locale } from '../../../i18n/index.js';
import { ACTION, FIELD, VIEW } from './ids.js';
import { escapeMrkdwn, mrkdwn, plain, promptText } from './text.js';

/** Slack's limit for a plain_text_input. */
const PROMPT_MAX = 3_000;

/**
 * What an edit modal (and the picker before it) carries to its submission: the result (`r`) or the
 * draft (`d`) it edits, and the channel the new image goes to (`c`; absent: privately, to the DM).
 */
export interface EditMetadata {
  r?: string;
  d?: string;
  c?: string;
  /** The thread in `c` it started in: the new image is a reply there. */
  t?: string;
}

/** Where an edit's result goes: a channel, and a thread in it. */
export interface EditPlace {
  channelId?: string;
  threadTs?: string;
}

function placeMetadata(place: EditPlace): Pick<EditMetadata, 'c' | 't'> {
  if (!place.channelId) return {};
  return { c: place.channelId, ...(place.threadTs ? { t: place.threadTs } : {}) };
}

export function readEditMetadata(raw: string | undefined): EditMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Record<string, unknown>;
    const text = (key: string) => (typeof parsed[key] === 'string' ? { [key]: parsed[key] } : {});
    const metadata = { ...text('r'), ...text('d'), ...text('c'), ...text('t') } as EditMetadata;
    return metadata.r || metadata.d ? metadata : undefined;
  } catch {
    return undefined;
  }
}

/** The form asking what to change, with what it costs (the price of a new image of that size). */
export function editModal(
  form: EditForm,
  place: EditPlace = {},
  locale: Locale = 'en',
): types.ModalView {
  const t = translator(locale);
  const metadata: EditMetadata = {
    ...(form.kind === 'result' ? { r: form.of } : { d: form.draft }),
    ...placeMetadata(place),
  };
  const what =
    form.kind === 'result'
      ? t('slack.edit.editingResult', {
          prompt: promptText(form.job.prompt.replace(/\s+/g, ' '), 150),
          resolution: form.job.options.resolution,
        })
      : t('slack.edit.editingFile', {
          name: escapeMrkdwn(form.image.name ?? t('slack.edit.theImage')),
        });
  const preview = form.kind === 'result' ? form.job.outcome : undefined;
  const imageUrl = preview?.kind === 'success' ? preview.imageUrls[0] : undefined;
  return {
    type: 'modal',
    callback_id: VIEW.edit,
    title: plain(t('slack.edit.title')),
    submit: plain(t('slack.edit.submit')),
    close: plain(t('slack.modal.cancel')),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      { type: 'section', text: { ...mrkdwn(what), verbatim: true } },
      ...(imageUrl
        ? [{ type: 'image' as const, image_url: imageUrl, alt_text: t('slack.edit.imageAlt') }]
        : []),
      {
        type: 'input',
        block_id: FIELD.prompt,
        label: plain(t('slack.edit.whatToChange')),
        element: {
          type: 'plain_text_input',
          action_id: FIELD.value,
          multiline: true,
          max_length: PROMPT_MAX,
          placeholder: plain(t('slack.edit.placeholder')),
        },
      },
      {
        type: 'context',
        elements: [
          mrkdwn(t('slack.edit.cost', { count: form.cost, editing: t('pricing.editing') })),
        ],
      },
    ],
  };
}

/** Several images on the message: one button each, told apart by block id. */
export function pickSourceModal(
  draft: string,
  images: SourceInput[],
  place: EditPlace = {},
  locale: Locale = 'en',
): types.ModalView {
  const t = translator(locale);
  const metadata: EditMetadata = { d: draft, ...placeMetadata(place) };
  return {
    type: 'modal',
    callback_id: VIEW.pickSource,
    title: plain(t('slack.pick.title')),
    close: plain(t('slack.modal.cancel')),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(t('slack.pick.question')),
      },
      ...images.map((image, index) => ({
        type: 'section' as const,
        block_id: pickBlockId(index),
        text: {
          ...mrkdwn(
            `*${index + 1}.* ${escapeMrkdwn(image.name ?? t('slack.pick.image', { number: index + 1 }))}`,
          ),
          verbatim: true,
        },
        accessory: {
          type: 'button' as const,
          action_id: ACTION.pickSource,
          text: plain(t('slack.pick.button')),
          value: String(index),
        },
      })),
    ],
  };
}

const PICK_PREFIX = 'pick_';

export function pickBlockId(index: number): string {
  return `${PICK_PREFIX}${index}`;
}
