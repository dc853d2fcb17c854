import type { RawGenerationInput } from '../../core/options.js';
import { validateGenerationInput } from '../../core/options.js';
import type { ConversationContext } from '../context.js';
import type { Interaction } from '../interaction.js';

/**
 * The one way a generation starts, for /imagine, Reroll, Try again and the forms: check, place
 * the status where the result will go, then hand the core a request keyed by the interaction's
 * id. A redelivered interaction finds its job and starts nothing; a refusal leaves nothing behind.
 */
export async function startGeneration(
  interaction: Interaction,
  input: RawGenerationInput,
  context: ConversationContext,
): Promise<void> {
  const { service, logger } = context;
  const requestId = interaction.id;
  if (await service.findJob(requestId)) {
    logger.info({ requestId }, 'interaction delivered twice; the job already exists');
    return;
  }
  const { prompt, options } = validateGenerationInput({
    ...input,
    private: Boolean(interaction.private || input.private),
  });
  const user = { key: interaction.actor.key, displayName: interaction.actor.displayName };
  // Refuse before anything is shown, so a request that cannot go ahead leaves no status behind.
  await service.preflight(user.key, { prompt, options });
  const placement = await interaction.answer.placeStatus({
    requestId,
    user,
    prompt,
    options,
    createdAt: context.now(),
  });
  let duplicate: boolean;
  try {
    ({ duplicate } = await service.request({
      requestId,
      user,
      prompt,
      options,
      target: placement.target,
    }));
  } catch (error) {
    await placement
      .withdraw('refused')
      .catch((secondary: unknown) => logger.debug({ err: secondary }, 'status not withdrawn'));
    throw error;
  }
  if (duplicate) {
    logger.info({ requestId }, 'interaction delivered twice; the job already exists');
    await placement.withdraw('duplicate');
    return;
  }
  await placement.accepted?.();
}
