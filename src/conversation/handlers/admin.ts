import { describeReset } from '../../core/quota.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';
import { refusal } from '../messages.js';

/** Admin commands act on a server's or workspace's members, by its admins only. */
export async function requireAdmin(interaction: Interaction): Promise<void> {
  if (!interaction.place.workspaceId) throw refusal('server_only');
  if (!(await interaction.actor.mayAdminister())) throw refusal('admin_only');
}

export async function setCredits(
  interaction: Interaction<IntentOf<'set-credits'>>,
  context: ConversationContext,
): Promise<void> {
  await requireAdmin(interaction);
  const { person, daily } = interaction.intent;
  await context.service.setDailyCredits(person.key, daily);
  const status = await context.service.status(person.key);
  context.logger.info(
    { admin: interaction.actor.key, user: person.key, daily },
    'daily credits changed',
  );
  await interaction.answer.privately({
    kind: 'credits-set',
    person,
    daily,
    remainingToday: status.remaining,
  });
}

export async function usage(
  interaction: Interaction<IntentOf<'usage'>>,
  context: ConversationContext,
): Promise<void> {
  await requireAdmin(interaction);
  const { person } = interaction.intent;
  if (!person) {
    await interaction.answer.privately({
      kind: 'usage',
      generatingNow: context.service.activeCount,
    });
    return;
  }
  const status = await context.service.status(person.key);
  await interaction.answer.privately({
    kind: 'usage',
    person,
    used: status.used,
    dailyCredits: status.dailyCredits,
    remaining: status.remaining,
    inFlight: status.activeJobs.length,
    resetsIn: describeReset(status.resetsAt, context.now()),
  });
}
