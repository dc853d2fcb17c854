import { isUserError } from '../../core/errors.js';
import type { GenerationOptions, RawGenerationInput } from '../../core/options.js';
import { validateGenerationInput } from '../../core/options.js';
import type { Derivation, ImageSource } from '../../core/types.js';
import type { ConversationContext } from '../context.js';
import { audit, rulesHere, rulesRefusal } from '../controls.js';
import type { Interaction, SourceInput } from '../interaction.js';
import { supportedLocaleOf } from '../../i18n/index.js';
import { localeOf } from '../locale.js';

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
  const here = await rulesHere(interaction, context);
  const asked = {
    requestId,
    prompt: typeof input.prompt === 'string' ? input.prompt : '',
    options: {} as GenerationOptions,
    cost: 0,
    ...(from.prepared ? { sources: from.prepared } : {}),
  };
  // The rule that blocked the prompt, for the audit: admins see it there, the person never does.
  let blockedRule: string | undefined;
  try {
    const { prompt, options } = validateGenerationInput({
      ...input,
      private: Boolean(interaction.private || input.private),
    });
    Object.assign(asked, { prompt, options, cost: service.costOf(options.resolution) });
    const user = { key: interaction.actor.key, displayName: interaction.actor.displayName };
    // The server's rules first (where, who, what), then credits: a refused request holds nothing.
    const ruled = rulesRefusal(interaction, here, prompt, context);
    if (ruled) {
      blockedRule = ruled.rule;
      if (blockedRule)
        logger.info({ requestId, user: user.key, rule: blockedRule }, 'prompt blocked');
      throw ruled.error;
    }
    const charges = {
      ...(here.pools.length > 0 ? { pools: here.pools } : {}),
      ...(here.roleAllowance === undefined ? {} : { roleAllowance: here.roleAllowance }),
    };
    // Refuse before anything is shown, so a request that cannot go ahead leaves no status behind.
    await service.preflight(user.key, { prompt, options, ...charges });
    // Checked after the cheap refusals (no fetch for someone out of credits), before any status.
    const sources = await sourcesOf(from, context);
    asked.sources = sources;
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
    const placeLocale = supportedLocaleOf(interaction.placeLocale);
    let duplicate: boolean;
    try {
      ({ duplicate } = await service.request({
        requestId,
        user,
        prompt,
        options,
        target: placement.target,
        place: here.place,
        locale: localeOf(interaction, context),
        ...(placeLocale ? { placeLocale } : {}),
        ...charges,
        ...startsFrom,
      }));
    } catch (error) {
      await placement
        .withdraw('refused')
        .catch((secondary: unknown) => logger.debug({ err: secondary }, 'status not withdrawn'));
      throw error;
    }
    if (duplicate) {
      // Logged once the status is withdrawn: the line says this delivery is done with.
      await placement.withdraw('duplicate');
      logger.info({ requestId }, 'interaction delivered twice; the job already exists');
      return;
    }
    audit(interaction, here, asked, { kind: 'accepted' }, context);
    await placement.accepted?.();
  } catch (error) {
    if (isUserError(error)) {
      const refused = { kind: 'refused' as const, reason: error.code };
      audit(
        interaction,
        here,
        asked,
        blockedRule ? { ...refused, rule: blockedRule } : refused,
        context,
      );
    }
    throw error;
  }
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
