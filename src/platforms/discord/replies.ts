import {
  MessageFlags,
  type ButtonInteraction,
  type ChannelSelectMenuInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { NO_PINGS } from './render.js';
import { fit } from './text.js';

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ChannelSelectMenuInteraction;

/**
 * Tells only the person who acted, whatever state the interaction is in: a fresh ephemeral reply,
 * an edit of an ephemeral deferral, or (when the deferral was public) replacing it with an
 * ephemeral follow-up so a refusal is never shown to the whole channel.
 */
export async function tellPrivately(interaction: Repliable, text: string): Promise<void> {
  const message = {
    content: fit(text, 2_000),
    embeds: [],
    components: [],
    allowedMentions: NO_PINGS,
  };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.deferred && interaction.ephemeral) {
    await interaction.editReply(message);
    return;
  }
  if (interaction.deferred && !interaction.replied && !interaction.isMessageComponent()) {
    await interaction.deleteReply();
  }
  await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
}
