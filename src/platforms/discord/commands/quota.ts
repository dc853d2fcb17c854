import { ApplicationCommandType, InteractionContextType, MessageFlags } from 'discord.js';
import { describeReset } from '../../../core/quota.js';
import { describeOptions } from '../../../core/options.js';
import type { SlashCommand } from '../context.js';
import { fit, fitEcho } from '../text.js';
import { NO_PINGS } from '../render.js';
import { userKey } from '../target.js';

export default {
  data: {
    name: 'quota',
    description: 'Your image credits left today, when they reset, and what is generating now',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const status = await context.service.status(userKey(interaction.user.id));
    const inFlight =
      status.activeJobs.length === 0
        ? 'Nothing is generating right now.'
        : status.activeJobs
            .map(
              (job) =>
                `• ${fitEcho(job.prompt.replace(/\s+/g, ' '), 80)} (${describeOptions(job.options)}, ${job.state})`,
            )
            .join('\n');
    await interaction.editReply({
      embeds: [
        {
          title: 'Your image credits',
          color: 0x5865f2,
          fields: [
            {
              name: 'Left today',
              value: `${status.remaining} of ${status.dailyCredits}`,
              inline: true,
            },
            { name: 'Resets', value: describeReset(status.resetsAt, Date.now()), inline: true },
            // A field value holds at most 1,024 characters, however many jobs are in flight.
            { name: `In flight (${status.activeJobs.length})`, value: fit(inFlight, 1_024) },
          ],
        },
      ],
      allowedMentions: NO_PINGS,
    });
  },
} satisfies SlashCommand;
