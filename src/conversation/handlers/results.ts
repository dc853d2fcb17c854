import type { JobRecord } from '../../core/types.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';
import { refusal } from '../messages.js';
import { startGeneration } from './generate.js';

/** The generation a button or command refers to; gone (expired, or never ours) is a refusal. */
export async function jobFor(requestId: string, context: ConversationContext): Promise<JobRecord> {
  const job = await context.service.findJob(requestId);
  if (!job) throw refusal('generation_not_found');
  return job;
}

/** The same prompt, options and sources again, charged to whoever clicked, keyed by the click's own id. */
export async function reroll(
  interaction: Interaction<IntentOf<'reroll' | 'retry'>>,
  context: ConversationContext,
): Promise<JobRecord> {
  const job = await jobFor(interaction.intent.of, context);
  // An edit's sources were checked when it started (and hosted ones are kept a day): reused as they are.
  await startGeneration(interaction, { ...job.options, prompt: job.prompt }, context, {
    ...(job.sources ? { prepared: job.sources } : {}),
    ...(job.derivedFrom ? { derivedFrom: job.derivedFrom } : {}),
  });
  return job;
}

/** Try again on a failure: a new generation; the requester's failure message makes way for it. */
export async function retry(
  interaction: Interaction<IntentOf<'retry'>>,
  context: ConversationContext,
): Promise<void> {
  const job = await reroll(interaction, context);
  if (job.user.key === interaction.actor.key) await interaction.answer.removeActedOn?.(job);
}

/**
 * Delete: the requester, whoever shared the copy, or a moderator. The job may be forgotten
 * already (retention); a moderator can still remove the message.
 */
export async function remove(
  interaction: Interaction<IntentOf<'delete'>>,
  context: ConversationContext,
): Promise<void> {
  const { actor, intent } = interaction;
  const job = await context.service.findJob(intent.of);
  const own = job?.user.key === actor.key || intent.sharedByActor === true;
  if (!own && !(await actor.mayModerate())) throw refusal('not_allowed_to_delete');
  await interaction.answer.removeActedOn?.(job);
  context.logger.info({ requestId: intent.of, by: actor.key, moderator: !own }, 'result deleted');
}
