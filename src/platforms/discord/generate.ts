import {
  MessageFlags,
  RESTJSONErrorCodes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { validateGenerationInput, type RawGenerationInput } from '../../core/options.js';
import { discordErrorCode } from './api-errors.js';
import type { DiscordContext } from './context.js';
import {
  DEFAULT_ATTACHMENT_SIZE_LIMIT,
  tokenExpiry,
  userKey,
  type DiscordTarget,
} from './target.js';

type GenerationInteraction = ChatInputCommandInteraction | ButtonInteraction;

/**
 * The shared life of a new generation, for /imagine, Reroll and Try again: defer at once (before
 * any slow work of ours), then hand the core a request keyed by this interaction's id. The core's
 * Delivery turns the deferred reply into the status message and then the result.
 *
 * `loadInput` runs after the deferral, so store reads never eat into Discord's 3 s. A UserError
 * it or the core throws is shown privately by the router.
 */
export async function startGeneration(
  interaction: GenerationInteraction,
  ephemeral: boolean,
  loadInput: () => Promise<RawGenerationInput> | RawGenerationInput,
  context: DiscordContext,
): Promise<void> {
  let messageId: string | null = null;
  try {
    const response = await interaction.deferReply({
      ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      withResponse: true,
    });
    // A deferral creates a message but returns no `resource.message`; its id comes with the callback.
    messageId = response.interaction.responseMessageId ?? response.resource?.message?.id ?? null;
  } catch (error) {
    // Another process (or an earlier delivery) already answered this interaction: the job, keyed
    // by the same id, is created at most once below and shown through `@original`.
    if (discordErrorCode(error) !== RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
      throw error;
    context.logger.info(
      { interactionId: interaction.id },
      'interaction already acknowledged elsewhere',
    );
  }
  const { prompt, options } = validateGenerationInput({
    ...(await loadInput()),
    private: ephemeral,
  });
  const target: DiscordTarget = {
    platform: 'discord',
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
    channelId: interaction.channelId,
    messageId,
    guildId: interaction.guildId,
    userId: interaction.user.id,
    ephemeral,
    tokenExpiresAt: tokenExpiry(interaction.createdTimestamp),
    attachmentSizeLimit: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
  };
  const { duplicate } = await context.service.request({
    requestId: interaction.id,
    user: {
      key: userKey(interaction.user.id),
      displayName: interaction.user.globalName ?? interaction.user.username,
    },
    prompt,
    options,
    target,
  });
  if (duplicate)
    context.logger.info(
      { requestId: interaction.id },
      'interaction delivered twice; the job already exists',
    );
}
