import type { RawGenerationInput } from '../../core/options.js';
import { validateGenerationInput } from '../../core/options.js';
import type { Derivation, ImageSource } from '../../core/types.js';
import type { ConversationContext } from '../context.js';
import type { Interaction, SourceInput } from '../interaction.js';

/**
 * What a generation starts from besides its prompt (image-to-image): images as a person offered
 * them, still to be checked, or the ones an earlier job already prepared (Reroll, Try again); and
 * the result it derives from (Edit, Vary, Upscale).
 */
export interface StartingPoint {
  offered?: readonly SourceInput[];
  prepared?: readonly ImageSource[];
  derivedFrom?: Derivation;
}

/**
 * The one way a generation starts, for /imagine, Reroll, Try again, the forms and the edit
 * buttons: check, make the sources reachable, place the status where the result will go, then
 * hand the core a request keyed by the interaction's id. A redelivered interaction finds its job
 * and starts nothing; a refusal (of the input, the credits or a source) leaves nothing behind.
 */
export async function startGeneration(
  interaction: Interaction,
  input: RawGenerationInput,
  context: ConversationContext,
  from: StartingPoint = {},
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
  // Checked after the cheap refusals (no fetch for someone out of credits), before any status.
  const sources = await sourcesOf(from, context);
  const startsFrom = {
    ...(sources.length > 0 ? { sources } : {}),
    ...(from.derivedFrom ? { derivedFrom: from.derivedFrom } : {}),
  };
  const placement = await interaction.answer.placeStatus({
    requestId,
    user,
    prompt,
    options,
    createdAt: context.now(),
    ...startsFrom,
  });
  let duplicate: boolean;
  try {
    ({ duplicate } = await service.request({
      requestId,
      user,
      prompt,
      options,
      target: placement.target,
      ...startsFrom,
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

async function sourcesOf(
  from: StartingPoint,
  context: ConversationContext,
): Promise<ImageSource[]> {
  if (from.prepared?.length) return [...from.prepared];
  if (!from.offered?.length) return [];
  const fetchPrivate = context.profile.fetchPrivateSource?.bind(context.profile);
  return context.editing.sources.prepare(from.offered, fetchPrivate);
}
