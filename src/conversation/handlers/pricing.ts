import { RESOLUTIONS, type Resolution } from '../../core/options.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { ConversationContext } from '../context.js';
import type { Pricing } from '../views.js';

/** The rule for edits, in the words /quota, help and the edit form use, in `locale`. */
export function editingCost(locale: Locale): string {
  return translate(locale, 'pricing.editing');
}

/** The rule for edits in English (see editingCost for the reader's language). */
export const EDITING_COST = editingCost('en');

/** What each size costs now, and the rule for edits, in `locale`. */
export function pricingOf(context: ConversationContext, locale: Locale = 'en'): Pricing {
  const costs = Object.fromEntries(
    RESOLUTIONS.map((resolution) => [resolution, context.service.costOf(resolution)]),
  ) as Record<Resolution, number>;
  return { costs, editing: editingCost(locale) };
}
