import { TEXT_FLAGS } from '../../core/option-text.js';
import { ASPECT_RATIOS, OUTPUT_FORMATS, QUALITIES, RESOLUTIONS } from '../../core/options.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';
import type { HelpEntry, HelpView, ResultActionHelp } from '../views.js';
import { pricingOf } from './pricing.js';
import { HISTORY_SIZE } from './account.js';
import { translate, type Locale } from '../../i18n/index.js';
import { localeOf } from '../locale.js';

/** Everything a person can ask by name, in the order help lists it. */
const COMMAND_NAMES = ['generate', 'help', 'quota', 'history', 'admin'] as const;

/** The buttons under a finished image, in the order every platform shows them. */
const RESULT_ACTION_NAMES = ['reroll', 'edit', 'vary', 'upscale', 'share', 'delete'] as const;

/** The commands help lists, each summed up in `locale`. */
export function helpCommands(locale: Locale): HelpEntry[] {
  return COMMAND_NAMES.map((name) => ({
    name,
    summary: translate(locale, `help.command.${name}`, { limit: HISTORY_SIZE }),
  }));
}

/** The buttons help explains, each in `locale` (labels: RESULT_ACTIONS). */
export function resultActionHelp(locale: Locale): ResultActionHelp[] {
  return RESULT_ACTION_NAMES.map((action) => ({
    action,
    summary: translate(locale, `help.action.${action}`),
  }));
}

/** In English, for what reads them without a reader (docs, tests). */
export const COMMANDS: readonly HelpEntry[] = helpCommands('en');
export const RESULT_ACTION_HELP: readonly ResultActionHelp[] = resultActionHelp('en');

function helpOptions(locale: Locale): HelpView['options'] {
  return [
    { flag: '--ar', values: ASPECT_RATIOS },
    { flag: '--res', values: RESOLUTIONS },
    { flag: '--quality', values: QUALITIES },
    { flag: '--format', values: OUTPUT_FORMATS },
    { flag: '--private', values: null, meaning: translate(locale, 'help.option.private') },
    { flag: '--image', values: null, meaning: translate(locale, 'help.option.image') },
  ];
}

// The text form's flags and the help's must be the same list.
if (
  helpOptions('en')
    .map((option) => option.flag)
    .join() !== TEXT_FLAGS.join()
)
  throw new Error('help lists other option flags than the text form accepts');

export async function help(
  interaction: Interaction<IntentOf<'help'>>,
  context: ConversationContext,
): Promise<void> {
  const failMarker = context.profile.failMarker;
  const locale = localeOf(interaction, context);
  await interaction.answer.privately({
    kind: 'help',
    commands: helpCommands(locale),
    options: helpOptions(locale),
    actions: resultActionHelp(locale),
    pricing: pricingOf(context, locale),
    ...(failMarker ? { failMarker } : {}),
  });
}
