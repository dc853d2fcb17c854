import { refusal } from '../messages.js';
import type { ConversationContext } from '../context.js';
import { downloadFailureOf } from '../../core/images.js';
import type { Interaction, IntentOf } from '../interaction.js';
import { jobFor } from './results.js';

/**
 * Share: a finished result, to a channel the actor may post in. Without a destination, the actor
 * is asked for one; the platform's post is a copy of the image saying who shared it.
 */
export async function share(
  interaction: Interaction<IntentOf<'share'>>,
  context: ConversationContext,
): Promise<void> {
  const { actor, intent, answer } = interaction;
  const job = await jobFor(intent.of, context);
  if (job.outcome?.kind !== 'success') throw refusal('nothing_to_share');
  if (intent.to === undefined) {
    await answer.privately({ kind: 'share-picker', job });
    return;
  }
  const to = intent.to;
  if (!answer.postShared)
    throw new Error(`sharing is not available on ${context.profile.platform}`);
  if (!(await actor.mayPostIn(to))) throw refusal('share_not_allowed', { channelId: to });
  try {
    await answer.postShared(job, to);
  } catch (error) {
    // Fetched when it was shown, but not now (expired, or refused): nothing is posted.
    if (downloadFailureOf(error)) throw refusal('share_image_unavailable');
    throw error;
  }
  context.logger.info({ requestId: job.requestId, channelId: to, by: actor.key }, 'image shared');
  await answer.privately({ kind: 'shared', job, to });
}
