import { ApplicationCommandType, InteractionContextType, MessageFlags } from 'discord.js';
import { cleanEcho } from '../../../core/echo.js';
import { describeOptions } from '../../../core/options.js';
import type { JobRecord } from '../../../core/types.js';
import type { SlashCommand } from '../context.js';
import { fit } from '../text.js';
import { NO_PINGS } from '../render.js';
import { isDiscordTarget, userKey } from '../target.js';

const HISTORY_SIZE = 10;

/** Where the result can be seen again: the image itself, and the message when it is public. */
function links(job: JobRecord): string {
  const parts: string[] = [];
  const outcome = job.outcome;
  if (outcome?.kind === 'success' && outcome.imageUrls[0])
    parts.push(`[image](${outcome.imageUrls[0]})`);
  const target = job.target;
  if (isDiscordTarget(target) && !target.ephemeral && target.messageId) {
    parts.push(
      `[message](https://discord.com/channels/${target.guildId ?? '@me'}/${target.channelId}/${target.messageId})`,
    );
  }
  if (outcome?.kind === 'failure') parts.push('failed, refunded');
  return parts.join(' · ') || job.state;
}

function line(job: JobRecord): string {
  const when = `<t:${Math.floor(job.createdAt / 1000)}:R>`;
  // Backticks cannot be escaped inside inline code, so they are swapped for a look-alike.
  const prompt = fit(cleanEcho(job.prompt).replace(/\s+/g, ' ').replace(/`/g, 'ˋ'), 90);
  return `${when} \`${prompt}\` (${describeOptions(job.options)}): ${links(job)}`;
}

export default {
  data: {
    name: 'history',
    description: `Your last ${HISTORY_SIZE} generations, with links to the images`,
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const jobs = await context.service.history(userKey(interaction.user.id), HISTORY_SIZE);
    const description =
      jobs.length === 0
        ? 'You have not generated any images yet. Try `/imagine`.'
        : jobs.map(line).join('\n');
    await interaction.editReply({
      embeds: [
        {
          title: 'Your recent generations',
          color: 0x5865f2,
          description: fit(description, 4_000),
        },
      ],
      allowedMentions: NO_PINGS,
    });
  },
} satisfies SlashCommand;
