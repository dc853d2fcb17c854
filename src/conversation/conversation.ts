import type { Logger } from '../core/logger.js';
import { isUserError, type UserError } from '../core/errors.js';
import { validateGenerationInput, type RawGenerationInput } from '../core/options.js';
import type {
  ConversationContext,
  ConversationService,
  EditingSupport,
  OperatorControls,
  PlatformProfile,
} from './context.js';
import { handlers } from './handlers/index.js';
import type { Interaction, SourceInput } from './interaction.js';
import { declaredSourceProblem } from './source-rules.js';
import { describeError } from './wording.js';
import { localeOf } from './locale.js';
import type { Locale } from '../i18n/index.js';

export interface ConversationOptions {
  service: ConversationService;
  logger: Logger;
  profile: PlatformProfile;
  editing: EditingSupport;
  controls: OperatorControls;
  now?: () => number;
  /** DEFAULT_LOCALE; English unless told. */
  defaultLocale?: Locale;
}

/**
 * What the bot does for each thing a person asks, on every platform. An adapter turns its events
 * into Interactions and hands them here; this decides, and answers through the interaction's
 * Answer port. Every refusal and error is reported here, the same way for every platform.
 */
export class Conversation {
  private readonly context: ConversationContext;
  /** Interactions being handled: a redelivery arriving meanwhile (gateway replay, retry) is dropped. */
  private readonly inFlight = new Set<string>();

  constructor(options: ConversationOptions) {
    this.context = {
      service: options.service,
      logger: options.logger,
      profile: options.profile,
      editing: options.editing,
      controls: options.controls,
      now: options.now ?? Date.now,
      defaultLocale: options.defaultLocale ?? 'en',
    };
  }

  /** Handles one interaction to the end; never throws (errors are shown to the actor and logged). */
  async handle(interaction: Interaction): Promise<void> {
    if (this.inFlight.has(interaction.id)) {
      this.context.logger.info(
        { interactionId: interaction.id, intent: interaction.intent.kind },
        'duplicate interaction ignored',
      );
      return;
    }
    this.inFlight.add(interaction.id);
    try {
      await dispatch(interaction, this.context);
    } catch (error) {
      await report(interaction, error, this.context);
    } finally {
      this.inFlight.delete(interaction.id);
    }
  }

  /**
   * What is wrong with a generation's input, without any I/O, or undefined when nothing is. For an
   * adapter that must choose how to acknowledge before anything slow (a refusal needs no public
   * "thinking…", a form shows it next to its field); handling the interaction still decides.
   */
  inputProblem(
    input: RawGenerationInput,
    sources: readonly SourceInput[] = [],
  ): UserError | undefined {
    try {
      validateGenerationInput(input);
      return declaredSourceProblem(sources);
    } catch (error) {
      if (isUserError(error)) return error;
      throw error;
    }
  }

  /** Interactions still being handled, for a graceful stop. */
  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Reports a refusal the adapter met while translating (a button on a message the actor cannot
   * see), in the same words and log line as one the handlers raise. `interaction.intent` is what
   * the gesture would have asked. Never throws.
   */
  refuse(interaction: Interaction, error: UserError): Promise<void> {
    return report(interaction, error, this.context);
  }

  /**
   * Reports an event the adapter could not turn into any intent (a button left by an older
   * version, a command this one does not have): the generic message with a correlation id that is
   * also in the log line, as for any failure. Never throws.
   */
  fail(interaction: Omit<Interaction, 'intent'>, error: Error): Promise<void> {
    return report(interaction, error, this.context);
  }
}

export function dispatch(interaction: Interaction, context: ConversationContext): Promise<void> {
  const handler = handlers[interaction.intent.kind] as (
    interaction: Interaction,
    context: ConversationContext,
  ) => Promise<void>;
  return handler(interaction, context);
}

/**
 * A UserError (or a platform refusal the profile recognises) becomes its catalogued message; any
 * other error the generic message with a correlation id that is also in the log line.
 */
async function report(
  interaction: Omit<Interaction, 'intent'> & { intent?: Interaction['intent'] },
  error: unknown,
  context: ConversationContext,
): Promise<void> {
  const known = isUserError(error) ? error : context.profile.userErrorOf?.(error);
  const { code, text, correlationId } = describeError(
    known ?? error,
    context.profile.wording,
    undefined,
    localeOf(interaction, context),
  );
  const where = {
    interactionId: interaction.id,
    intent: interaction.intent?.kind,
    user: interaction.actor.key,
  };
  if (known) context.logger.info({ ...where, code }, 'request refused');
  else
    context.logger.error(
      { ...where, correlationId, err: loggable(error, context) },
      'interaction failed',
    );
  try {
    await interaction.answer.privately({ kind: 'notice', tone: 'error', code, text });
  } catch (secondary) {
    context.logger.warn(
      { ...where, correlationId, err: loggable(secondary, context) },
      'could not tell the user about an error',
    );
  }
}

function loggable(error: unknown, context: ConversationContext): unknown {
  return context.profile.loggable ? context.profile.loggable(error) : error;
}
