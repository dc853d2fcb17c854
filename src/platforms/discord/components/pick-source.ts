import { ComponentType } from 'discord.js';
import type { ComponentHandler } from '../context.js';

/**
 * "Edit image" on a message with several images, step two: the image picked in the private picker.
 * Not deferred: the answer is the form asking what to change, which must be the first answer.
 */
export default {
  action: 'editdraft',
  async execute(interaction, draft) {
    const { data } = interaction.payload;
    if (data.component_type !== ComponentType.StringSelect) return;
    const choice = Number(data.values[0]);
    if (!Number.isInteger(choice)) return;
    await interaction.handle({ kind: 'edit-draft', draft, choice });
  },
} satisfies ComponentHandler;
