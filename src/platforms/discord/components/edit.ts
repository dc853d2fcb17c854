import type { ComponentHandler } from '../context.js';

/**
 * Edit: opens the form asking what to change (its submission is the generation; see edit-form.ts).
 * Not deferred: a modal can only be an interaction's first answer. A refusal (the result is gone
 * or failed) is a private reply instead.
 */
export default {
  action: 'edit',
  execute: (interaction, requestId) => interaction.handle({ kind: 'edit', of: requestId }),
} satisfies ComponentHandler;
