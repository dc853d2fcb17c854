import type { ComponentHandler } from '../context.js';

/** Delete: the message the button is on (`@original` after a deferred update). */
export default {
  action: 'delete',
  async execute(interaction, requestId) {
    await interaction.replies.deferUpdate();
    await interaction.handle({ kind: 'delete', of: requestId });
  },
} satisfies ComponentHandler;
