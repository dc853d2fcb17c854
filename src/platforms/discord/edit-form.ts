import {
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmissionComponent,
} from 'discord.js';
import type { EditForm } from '../../conversation/answer.js';
import type { SourceInput } from '../../conversation/interaction.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { ModalSubmitInteraction } from './context.js';
import { customId, parseCustomId } from './custom-id.js';
import { NO_PINGS, type MessageBody } from './render.js';
import { fit } from './text.js';

/** The one field of the edit form. */
const PROMPT_FIELD = 'prompt';
/** Discord's longest text input. */
const PROMPT_MAX_LENGTH = 4_000;
/** Discord's limits: a modal title and a label hold 45 characters, a label's description 100. */
const TITLE_MAX = 45;
/** A select menu offers at most 25 options. */
const MAX_OPTIONS = 25;

/**
 * The form asking what to change, with its cost in the title. Its custom_id says what is edited
 * (`edit:<result>` or `editdraft:<draft>`), so the submission needs nothing remembered here.
 */
export function editFormModal(
  form: EditForm,
  locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
  const id = form.kind === 'result' ? customId('edit', form.of) : customId('editdraft', form.draft);
  return {
    custom_id: id,
    title: fit(
      translate(locale, 'discord.editForm.title', { count: form.cost, credits: String(form.cost) }),
      TITLE_MAX,
    ),
    components: [
      {
        type: ComponentType.Label,
        label: translate(locale, 'discord.editForm.label'),
        description: translate(locale, 'discord.editForm.description'),
        component: {
          type: ComponentType.TextInput,
          custom_id: PROMPT_FIELD,
          style: TextInputStyle.Paragraph,
          required: true,
          max_length: PROMPT_MAX_LENGTH,
          placeholder: translate(locale, 'discord.editForm.placeholder'),
        },
      },
    ],
  };
}

/** Asks which of a message's images to edit; the pick comes back on the same custom_id. */
export function sourcePicker(
  draft: string,
  images: readonly SourceInput[],
  locale: Locale = 'en',
): MessageBody {
  return {
    content: translate(locale, 'discord.picker.question'),
    embeds: [],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: customId('editdraft', draft),
            placeholder: translate(locale, 'discord.picker.placeholder'),
            min_values: 1,
            max_values: 1,
            options: images.slice(0, MAX_OPTIONS).map((image, index) => ({
              label: fit(
                image.name || translate(locale, 'discord.picker.unnamed', { number: index + 1 }),
                100,
              ),
              value: String(index),
            })),
          },
        ],
      },
    ],
    allowed_mentions: NO_PINGS,
  };
}

/** The prompt typed in the form, whichever layout Discord sent it in (label, or an older action row). */
function submittedPrompt(components: readonly APIModalSubmissionComponent[]): string | undefined {
  for (const component of components) {
    const inputs =
      component.type === ComponentType.Label
        ? [component.component]
        : component.type === ComponentType.ActionRow
          ? component.components
          : [];
    for (const input of inputs)
      if (input.type === ComponentType.TextInput && input.custom_id === PROMPT_FIELD)
        return input.value;
  }
  return undefined;
}

/**
 * The edit form sent: a new generation keyed by this submission's own id. An edit of a result
 * stays private when the result was (the form was opened from its message); an edit of an image on
 * a message is answered in the channel, like `/imagine`.
 */
export async function submitEditForm(interaction: ModalSubmitInteraction): Promise<void> {
  const { data, message } = interaction.payload;
  const parsed = parseCustomId(data.custom_id);
  const prompt = submittedPrompt(data.components) ?? '';
  if (parsed?.action === 'edit') {
    const ephemeral = ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    await interaction.replies.deferReply(ephemeral);
    return interaction.handle(
      { kind: 'edit', of: parsed.requestId, prompt },
      { private: ephemeral },
    );
  }
  if (parsed?.action === 'editdraft') {
    await interaction.replies.deferReply(false);
    return interaction.handle({ kind: 'edit-draft', draft: parsed.requestId, prompt });
  }
  return interaction.fail(new Error(`no handler for form "${data.custom_id}"`));
}
