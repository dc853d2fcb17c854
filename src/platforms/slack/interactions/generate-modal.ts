import type { App, types } from '@slack/bolt';
import type { Intent } from '../../../conversation/index.js';
import { messageIn, type UserError } from '../../../core/errors.js';
import { translator, type Locale } from '../../../i18n/index.js';
import { ASPECT_RATIOS, RESOLUTIONS } from '../../../core/options.js';
import { MAX_SOURCES } from '../../../core/source-links.js';
import type { SlackContext } from '../context.js';
import { handleSlack, submitterOf } from '../interaction.js';
import { FIELD, VIEW } from '../render/ids.js';
import { sourcesOfFiles, type SlackFile } from './edit-image.js';
import { hintText, plain } from '../render/text.js';

/** `/imagine` with nothing after it: the conversation opens the form (see SlackAnswer). */
export const OPEN_FORM: Intent = { kind: 'command-text', text: '', afterCommand: true };

/** Slack's limit for a plain_text_input; longer prompts go through `/imagine <text>`. */
const MODAL_PROMPT_MAX = 3_000;

interface ModalMetadata {
  /** The conversation the modal was opened from, preselected in the channel picker. */
  c?: string;
}

function options(values: readonly string[], label: (value: string) => string = (value) => value) {
  return values.map((value) => ({ text: plain(label(value)), value }));
}

export function generateModal(
  context: SlackContext,
  originChannelId?: string,
  locale: Locale = 'en',
): types.ModalView {
  const metadata: ModalMetadata = originChannelId ? { c: originChannelId } : {};
  const t = translator(locale);
  const cost = (resolution: string) => {
    const credits = context.service.costOf(resolution as (typeof RESOLUTIONS)[number]);
    return t('slack.generate.cost', { resolution, count: credits });
  };
  return {
    type: 'modal',
    callback_id: VIEW.generate,
    title: plain(t('slack.generate.title')),
    submit: plain(t('slack.generate.submit')),
    close: plain(t('slack.modal.cancel')),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'input',
        block_id: FIELD.prompt,
        label: plain(t('slack.generate.prompt')),
        element: {
          type: 'plain_text_input',
          action_id: FIELD.value,
          multiline: true,
          max_length: MODAL_PROMPT_MAX,
          placeholder: plain(t('slack.generate.promptPlaceholder')),
        },
      },
      {
        type: 'input',
        block_id: FIELD.images,
        optional: true,
        label: plain(t('slack.generate.images')),
        hint: hintText(t('slack.generate.imagesHint')),
        element: {
          type: 'file_input',
          action_id: FIELD.value,
          filetypes: ['png', 'jpg', 'jpeg', 'webp'],
          max_files: MAX_SOURCES,
        },
      },
      {
        type: 'input',
        block_id: FIELD.aspectRatio,
        optional: true,
        label: plain(t('slack.generate.aspectRatio')),
        element: {
          type: 'static_select',
          action_id: FIELD.value,
          placeholder: plain(t('slack.generate.modelDefault')),
          options: options(ASPECT_RATIOS),
        },
      },
      {
        type: 'input',
        block_id: FIELD.resolution,
        optional: true,
        label: plain(t('slack.generate.resolution')),
        element: {
          type: 'static_select',
          action_id: FIELD.value,
          initial_option: { text: plain(cost('1K')), value: '1K' },
          options: options(RESOLUTIONS, cost),
        },
      },
      {
        type: 'input',
        block_id: FIELD.channel,
        optional: true,
        label: plain(t('slack.generate.channel')),
        hint: hintText(t('slack.generate.channelHint')),
        element: {
          type: 'conversations_select',
          action_id: FIELD.value,
          ...(originChannelId ? { initial_conversation: originChannelId } : {}),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
    ],
  };
}

export async function openGenerateModal(
  context: SlackContext,
  triggerId: string,
  originChannelId?: string,
  locale: Locale = 'en',
): Promise<void> {
  await context.slack.web.views.open({
    trigger_id: triggerId,
    view: generateModal(context, originChannelId, locale),
  });
}

/** Which input a validation error belongs under, so the modal shows it next to the field. */
function fieldOf(error: UserError): string {
  if (error.code === 'invalid_option') {
    const option = String((error.params as { option?: string }).option);
    if (option === 'aspect ratio') return FIELD.aspectRatio;
    if (option === 'resolution') return FIELD.resolution;
  }
  return FIELD.prompt;
}

type Values = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_conversation?: string | null;
      files?: SlackFile[] | null;
    }
  >
>;

export function registerGenerateModal(app: App, context: SlackContext): void {
  app.view(VIEW.generate, async ({ ack, body, view }) => {
    const values = view.state.values as Values;
    const field = (block: string) => values[block]?.[FIELD.value];
    const input = {
      prompt: field(FIELD.prompt)?.value ?? '',
      aspectRatio: field(FIELD.aspectRatio)?.selected_option?.value ?? null,
      resolution: field(FIELD.resolution)?.selected_option?.value ?? null,
    };
    // A mistake is shown next to its field, inside the 3 s window (the language is cached).
    const problem = context.conversation.inputProblem(input);
    if (problem) {
      const text = messageIn(problem, await context.locales.of(body.user.id));
      await ack({ response_action: 'errors', errors: { [fieldOf(problem)]: text } });
      return;
    }
    await ack();
    const channelId = field(FIELD.channel)?.selected_conversation ?? undefined;
    const where = channelId ? { channelId, resultChannelId: channelId } : {};
    const sources = sourcesOfFiles(field(FIELD.images)?.files ?? undefined);
    await handleSlack(
      context,
      { ...submitterOf(body, view), ...where },
      { kind: 'imagine', input, ...(sources.length > 0 ? { sources } : {}) },
    );
  });
}
