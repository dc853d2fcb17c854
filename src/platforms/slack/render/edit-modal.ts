import type { types } from '@slack/bolt';
import type { EditForm } from '../../../conversation/answer.js';
import { EDITING_COST } from '../../../conversation/handlers/pricing.js';
import type { SourceInput } from '../../../conversation/interaction.js';
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

function credits(cost: number): string {
  return `${cost} credit${cost === 1 ? '' : 's'}`;
}

/** The form asking what to change, with what it costs (the price of a new image of that size). */
export function editModal(form: EditForm, place: EditPlace = {}): types.ModalView {
  const metadata: EditMetadata = {
    ...(form.kind === 'result' ? { r: form.of } : { d: form.draft }),
    ...placeMetadata(place),
  };
  const what =
    form.kind === 'result'
      ? `Editing “${promptText(form.job.prompt.replace(/\s+/g, ' '), 150)}” (${form.job.options.resolution})`
      : `Editing ${escapeMrkdwn(form.image.name ?? 'the image')}`;
  const preview = form.kind === 'result' ? form.job.outcome : undefined;
  const imageUrl = preview?.kind === 'success' ? preview.imageUrls[0] : undefined;
  return {
    type: 'modal',
    callback_id: VIEW.edit,
    title: plain('Edit image'),
    submit: plain('Edit'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      { type: 'section', text: { ...mrkdwn(what), verbatim: true } },
      ...(imageUrl
        ? [{ type: 'image' as const, image_url: imageUrl, alt_text: 'the image to edit' }]
        : []),
      {
        type: 'input',
        block_id: FIELD.prompt,
        label: plain('What to change'),
        element: {
          type: 'plain_text_input',
          action_id: FIELD.value,
          multiline: true,
          max_length: PROMPT_MAX,
          placeholder: plain('Make it night, with the moon behind the trees'),
        },
      },
      {
        type: 'context',
        elements: [mrkdwn(`Costs ${credits(form.cost)}. ${EDITING_COST}`)],
      },
    ],
  };
}

/** Several images on the message: one button each, told apart by block id. */
export function pickSourceModal(
  draft: string,
  images: SourceInput[],
  place: EditPlace = {},
): types.ModalView {
  const metadata: EditMetadata = { d: draft, ...placeMetadata(place) };
  return {
    type: 'modal',
    callback_id: VIEW.pickSource,
    title: plain('Which image?'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'section',
        text: mrkdwn('This message has several images. Which one do you want to edit?'),
      },
      ...images.map((image, index) => ({
        type: 'section' as const,
        block_id: pickBlockId(index),
        text: {
          ...mrkdwn(`*${index + 1}.* ${escapeMrkdwn(image.name ?? `Image ${index + 1}`)}`),
          verbatim: true,
        },
        accessory: {
          type: 'button' as const,
          action_id: ACTION.pickSource,
          text: plain('Edit this one'),
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
