import { TEXT_FLAGS } from '../../core/option-text.js';
import { ASPECT_RATIOS, OUTPUT_FORMATS, QUALITIES, RESOLUTIONS } from '../../core/options.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';
import type { HelpEntry, HelpView, ResultActionHelp } from '../views.js';
import { pricingOf } from './pricing.js';

/** Everything a person can ask by name, in the order help lists it. */
export const COMMANDS: readonly HelpEntry[] = [
  {
    name: 'generate',
    summary:
      'Make an image, e.g. `/imagine a red fox in snow --ar 16:9 --res 2K --quality high --format png --private`.',
  },
  { name: 'help', summary: 'This help.' },
  {
    name: 'quota',
    summary: 'Your credits left today, when they reset, and your images in progress.',
  },
  { name: 'history', summary: 'Your last 10 generations, with links to the images.' },
  {
    name: 'admin',
    summary:
      "Admins: the server's credit budgets, where and who may make images, blocked words, each person's daily credits, and a usage report with a chart and a CSV export.",
  },
];

/** The buttons under a finished image, in the order every platform shows them. */
export const RESULT_ACTION_HELP: readonly ResultActionHelp[] = [
  { action: 'reroll', summary: 'the same prompt and options again' },
  { action: 'edit', summary: 'say what to change in this image' },
  { action: 'vary', summary: 'a variation of this image, same prompt' },
  { action: 'upscale', summary: 'this image at the next size (1K → 2K → 4K)' },
  { action: 'share', summary: 'post it in a channel you pick' },
  { action: 'delete', summary: 'remove it (yours, or as a moderator)' },
];

const OPTIONS: HelpView['options'] = [
  { flag: '--ar', values: ASPECT_RATIOS },
  { flag: '--res', values: RESOLUTIONS },
  { flag: '--quality', values: QUALITIES },
  { flag: '--format', values: OUTPUT_FORMATS },
  { flag: '--private', values: null, meaning: 'only you see it' },
  {
    flag: '--image',
    values: null,
    meaning: 'an https link to an image to start from; up to 3, the prompt says what to change',
  },
];

// The text form's flags and the help's must be the same list.
if (OPTIONS.map((option) => option.flag).join() !== TEXT_FLAGS.join())
  throw new Error('help lists other option flags than the text form accepts');

export async function help(
  interaction: Interaction<IntentOf<'help'>>,
  context: ConversationContext,
): Promise<void> {
  const failMarker = context.profile.failMarker;
  await interaction.answer.privately({
    kind: 'help',
    commands: [...COMMANDS],
    options: OPTIONS,
    actions: [...RESULT_ACTION_HELP],
    pricing: pricingOf(context),
    ...(failMarker ? { failMarker } : {}),
  });
}
