import { UserError } from '../../core/errors.js';
import { parseGenerationText } from '../../core/option-text.js';
import type { ConversationContext } from '../context.js';
import type { Intent, Interaction, IntentOf } from '../interaction.js';
import { refusal } from '../messages.js';
import { requireAdmin } from './admin.js';
import { adminIntent } from './admin-text.js';
import { startGeneration } from './generate.js';
import { handlers } from './index.js';

/** Asked by name only when alone, so "history of Rome" is still a prompt. */
const ALONE = new Set(['help', 'quota', 'history']);

/**
 * Typed text, one grammar for every platform: `/imagine <prompt> [--flags]`, `/imagine help`,
 * `/imagine quota`, `/imagine history`, `/imagine admin credits @user 50`; a whole typed line may
 * also say `/help`, `/quota` or `/history` (as Discord's commands are named).
 */
export async function commandText(
  interaction: Interaction<IntentOf<'command-text'>>,
  context: ConversationContext,
): Promise<void> {
  const intent = await intentOf(interaction, context);
  if (intent.kind === 'imagine') {
    await startGeneration(interaction, intent.input, context, {
      ...(intent.sources ? { offered: intent.sources } : {}),
    });
    return;
  }
  if (intent.kind === 'command-text') {
    // Nothing typed after the command: the form, where the platform has one.
    if (interaction.answer.openGenerateForm) await interaction.answer.openGenerateForm();
    else throw new UserError('prompt_empty');
    return;
  }
  // Read at call time: the registry imports this module too.
  const handler = handlers[intent.kind] as (
    interaction: Interaction,
    context: ConversationContext,
  ) => Promise<void>;
  await handler({ ...interaction, intent }, context);
}

async function intentOf(
  interaction: Interaction<IntentOf<'command-text'>>,
  context: ConversationContext,
): Promise<Intent> {
  const { text: typed, afterCommand } = interaction.intent;
  const text = typed.trim();
  const [word = '', ...rest] = text.split(/\s+/);
  if (!afterCommand) {
    // Nothing typed at all: say what to type, rather than quote an empty command back.
    if (text === '') throw new UserError('prompt_empty');
    const name = word.toLowerCase();
    if (name === '/imagine')
      return afterImagine(interaction, text.slice(word.length).trim(), context);
    const direct = name.startsWith('/') ? name.slice(1) : '';
    if (ALONE.has(direct) && rest.length === 0) return { kind: direct } as Intent;
    throw refusal('unknown_command', { typed: word.slice(0, 40) || text });
  }
  return afterImagine(interaction, text, context);
}

async function afterImagine(
  interaction: Interaction,
  text: string,
  context: ConversationContext,
): Promise<Intent> {
  if (text === '') return { kind: 'command-text', text: '', afterCommand: true };
  const [first = '', ...rest] = text.split(/\s+/);
  const name = first.toLowerCase();
  if (ALONE.has(name) && rest.length === 0) return { kind: name } as Intent;
  if (name === 'admin') {
    // Who may is checked before what was typed, so a non-admin learns nothing of the syntax.
    await requireAdmin(interaction);
    return adminIntent(text.slice(first.length), interaction.place, context.profile);
  }
  const { prompt, options, images } = parseGenerationText(text);
  const sources = images?.map((url) => ({ url }));
  return { kind: 'imagine', input: { ...options, prompt }, ...(sources ? { sources } : {}) };
}
