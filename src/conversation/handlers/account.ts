import { describeReset } from '../../core/quota.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';
import { rulesHere } from '../controls.js';
import { pricingOf } from './pricing.js';
import { poolView } from './settings.js';
import { localeOf } from '../locale.js';

/** How many past generations /history lists. */
export const HISTORY_SIZE = 10;

/** The actor's credits left today, when they reset, and what is generating for them now. */
export async function quota(
  interaction: Interaction<IntentOf<'quota'>>,
  context: ConversationContext,
): Promise<void> {
  const here = await rulesHere(interaction, context);
  const status = await context.service.status(
    interaction.actor.key,
    here.pools,
    here.roleAllowance,
  );
  const now = context.now();
  const locale = localeOf(interaction, context);
  await interaction.answer.privately({
    kind: 'quota',
    remaining: status.remaining,
    dailyCredits: status.dailyCredits,
    used: status.used,
    resetsAt: status.resetsAt,
    resetsIn: describeReset(status.resetsAt, now, locale),
    inFlight: status.activeJobs.map((job) => ({
      prompt: job.prompt,
      options: job.options,
      state: job.state,
    })),
    pricing: pricingOf(context, locale),
    serverPools: status.pools.map((pool) => poolView(pool, now, locale)),
  });
}

export async function history(
  interaction: Interaction<IntentOf<'history'>>,
  context: ConversationContext,
): Promise<void> {
  const jobs = await context.service.history(interaction.actor.key, HISTORY_SIZE);
  await interaction.answer.privately({ kind: 'history', jobs, limit: HISTORY_SIZE });
}
