import { RESOLUTIONS, type Resolution } from '../../core/options.js';
import type { ConversationContext } from '../context.js';
import type { Pricing } from '../views.js';

/** The rule for edits, in the words /quota, help and the edit form use. */
export const EDITING_COST =
  "Edit, Vary and Upscale cost what a new image of the result's size costs (Upscale: the next size up).";

/** What each size costs now, and the rule for edits. */
export function pricingOf(context: ConversationContext): Pricing {
  const costs = Object.fromEntries(
    RESOLUTIONS.map((resolution) => [resolution, context.service.costOf(resolution)]),
  ) as Record<Resolution, number>;
  return { costs, editing: EDITING_COST };
}
