import { ApplicationCommandType } from 'discord.js';
import type { MessageCommand } from '../context.js';
import { filesOfMessage } from '../sources.js';
import { EVERYWHERE, labelledName } from './localized.js';

/**
 * "Edit image" in a message's context menu (Apps). Not deferred: its first answer may be the form
 * asking what to change, and a modal can only be an interaction's first answer. The picker (several
 * images) and refusals are private replies.
 */
export default {
  data: {
    ...labelledName('discord.command.edit-image'),
    type: ApplicationCommandType.Message,
    ...EVERYWHERE,
  },

  async execute(interaction) {
    const { target_id: targetId, resolved } = interaction.payload.data;
    const message = resolved.messages[targetId];
    const files = message ? filesOfMessage(message) : [];
    await interaction.handle({ kind: 'edit-image', files });
  },
} satisfies MessageCommand;
