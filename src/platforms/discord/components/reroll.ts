import { ComponentType, type APIMessage } from 'discord.js';
import { SUPPORTED_LOCALES, translate } from '../../../i18n/index.js';
import type { ComponentHandler } from '../context.js';
import { generateFromClick } from './from-result.js';

/** The label of the clicked button: a result's "Reroll" and a failure's "Try again" share one custom_id. */
function clickedLabel(message: APIMessage, customId: string): string | undefined {
  for (const row of message.components ?? []) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const component of row.components)
      if (component.type === ComponentType.Button && 'custom_id' in component)
        if (component.custom_id === customId) return component.label;
  }
  return undefined;
}

/** "Try again" in every language the bot speaks: the failure it is on was said in the requester's. */
const TRY_AGAIN_LABELS: ReadonlySet<string | undefined> = new Set(
  SUPPORTED_LOCALES.map((locale) => translate(locale, 'discord.button.tryAgain')),
);

/**
 * Reroll, or Try again on a failure: the same prompt and options as a new generation, charged to
 * whoever clicks and keyed by this click's interaction id.
 */
export default {
  action: 'reroll',
  async execute(interaction, requestId) {
    const { message, data } = interaction.payload;
    const kind = TRY_AGAIN_LABELS.has(clickedLabel(message, data.custom_id)) ? 'retry' : 'reroll';
    await generateFromClick(interaction, { kind, of: requestId });
  },
} satisfies ComponentHandler;
