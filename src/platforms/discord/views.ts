import { ChannelType, ComponentType, type APIEmbed } from 'discord.js';
import type {
  ConversationView,
  CreditsSetView,
  HelpView,
  HistoryView,
  Pricing,
  QuotaView,
  UsageView,
} from '../../conversation/index.js';
import { cleanEcho } from '../../core/echo.js';
import { describeOptions } from '../../core/options.js';
import type { JobRecord } from '../../core/types.js';
import { renderAdminView } from './admin-views.js';
import { customId } from './custom-id.js';
import { madeFromLine, RESULT_ACTIONS } from '../view-text.js';
import { NO_PINGS, quotePrompt, type ActionRow, type MessageBody } from './render.js';
import { isDiscordTarget } from './target.js';
import { escapeEcho, fit, fitEcho } from './text.js';

const BLURPLE = 0x5865f2;

function message(
  content: string,
  embeds: APIEmbed[] = [],
  components: ActionRow[] = [],
): MessageBody {
  return { content: fit(content, 2_000), embeds, components, allowed_mentions: NO_PINGS };
}

/** A conversation view as a Discord message for the person who acted. */
export function renderView(view: ConversationView): MessageBody {
  const admin = renderAdminView(view);
  if (admin) return admin;
  switch (view.kind) {
    case 'notice':
      return message(view.text);
    case 'quota':
      return message('', [quotaEmbed(view)]);
    case 'history':
      return message('', [historyEmbed(view)]);
    case 'help':
      return message(helpText(view));
    case 'share-picker':
      return message('Pick the channel to share this image in:', [], [channelPicker(view.job)]);
    case 'shared':
      return message(`Shared in <#${view.to}>.`);
    case 'credits-set':
      return message(creditsSetText(view));
    case 'usage':
      return message(usageText(view));
    case 'settings':
    case 'export':
      // Rendered by renderAdminView above.
      return message('');
  }
}

function quotaEmbed(view: QuotaView): APIEmbed {
  const inFlight =
    view.inFlight.length === 0
      ? 'Nothing is generating right now.'
      : view.inFlight
          .map(
            (job) =>
              `• ${fitEcho(job.prompt.replace(/\s+/g, ' '), 80)} (${describeOptions(job.options)}, ${job.state})`,
          )
          .join('\n');
  return {
    title: 'Your image credits',
    color: BLURPLE,
    fields: [
      { name: 'Left today', value: `${view.remaining} of ${view.dailyCredits}`, inline: true },
      { name: 'Resets', value: view.resetsIn, inline: true },
      ...view.serverPools.map((pool) => ({
        name: pool.period === 'day' ? 'Server today' : 'Server this month',
        value: `${pool.remaining} of ${pool.limit} left for everyone here\nResets ${pool.resetsIn}`,
        inline: true,
      })),
      // A field value holds at most 1,024 characters, however many jobs are in flight.
      { name: `In flight (${view.inFlight.length})`, value: fit(inFlight, 1_024) },
      { name: 'Costs', value: pricingText(view.pricing) },
    ],
  };
}

/** "1K: 1 credit · 2K: 2 credits · 4K: 4 credits", then what Edit, Vary and Upscale cost. */
function pricingText(pricing: Pricing): string {
  const costs = Object.entries(pricing.costs)
    .map(([size, cost]) => `${size}: ${cost} credit${cost === 1 ? '' : 's'}`)
    .join(' · ');
  return fit(`${costs}\n${pricing.editing}`, 1_024);
}

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

function historyLine(job: JobRecord): string {
  const when = `<t:${Math.floor(job.createdAt / 1000)}:R>`;
  // Backticks cannot be escaped inside inline code, so they are swapped for a look-alike.
  const prompt = fit(cleanEcho(job.prompt).replace(/\s+/g, ' ').replace(/`/g, 'ˋ'), 90);
  // What it was made from (an edit names its parent), so the list reads as a chain.
  const sources = job.sources?.map((source) => ({ ...source, name: escapeEcho(source.name) }));
  const made = madeFromLine({ ...job, ...(sources ? { sources } : {}) }, quotePrompt);
  const from = made ? ` · ${made}` : '';
  return `${when} \`${prompt}\` (${describeOptions(job.options)}): ${links(job)}${from}`;
}

function historyEmbed(view: HistoryView): APIEmbed {
  const description =
    view.jobs.length === 0
      ? 'You have not generated any images yet. Try `/imagine`.'
      : view.jobs.map(historyLine).join('\n');
  return { title: 'Your recent generations', color: BLURPLE, description: fit(description, 4_000) };
}

/** The conversation's names for what a person can ask, as Discord's commands spell them. */
const COMMAND_SYNTAX: Record<string, string> = {
  generate: '`/imagine prompt:…`',
  help: '`/help`',
  quota: '`/quota`',
  history: '`/history`',
  admin: '`/imagine-admin`',
};

/** The conversation's option flags, as `/imagine`'s options are named. */
const OPTION_NAMES: Record<string, string> = {
  '--ar': 'aspect_ratio',
  '--res': 'resolution',
  '--quality': 'quality',
  '--format': 'output_format',
  '--private': 'private',
};

function helpText(view: HelpView): string {
  const commands = view.commands
    .filter((command) => COMMAND_SYNTAX[command.name])
    .map((command) => `${COMMAND_SYNTAX[command.name]}: ${command.summary}`);
  const options = view.options
    .filter(({ flag }) => OPTION_NAMES[flag])
    .map(
      ({ flag, values }) => `\`${OPTION_NAMES[flag]}\`${values ? ` (${values.join(', ')})` : ''}`,
    );
  const lines = [
    '**Make images with `/imagine`**',
    ...commands,
    '',
    `**Options of /imagine:** ${options.join(' · ')}`,
    '`image`, `image2`, `image3`: start from up to three of your own images; the prompt says what to change.',
    '**Edit image** in a message’s Apps menu edits an image posted there.',
    '',
    '**Buttons under a result:**',
    ...view.actions.map(({ action, summary }) => `**${RESULT_ACTIONS[action]}**: ${summary}`),
    '',
    `**Costs:** ${pricingText(view.pricing)}`,
  ];
  if (view.failMarker) lines.push(`A prompt containing \`${view.failMarker}\` fails on purpose.`);
  return fit(lines.join('\n'), 2_000);
}

function channelPicker(job: JobRecord): ActionRow {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.ChannelSelect,
        custom_id: customId('share-to', job.requestId),
        placeholder: 'Choose a channel',
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        min_values: 1,
        max_values: 1,
      },
    ],
  };
}

function creditsSetText({ person, daily, remainingToday }: CreditsSetView): string {
  return `<@${person.id}> now has ${daily} credit${daily === 1 ? '' : 's'} a day; ${remainingToday} left today.`;
}

function usageText(view: UsageView): string {
  if (!view.person) {
    const count = view.generatingNow;
    return `${count} image${count === 1 ? ' is' : 's are'} generating across the bot right now. Name a user to see their credits.`;
  }
  return [
    `<@${view.person.id}> has used ${view.used} of ${view.dailyCredits} credits today (${view.remaining} left).`,
    `Generating now: ${view.inFlight}. Credits reset ${view.resetsIn}.`,
  ].join('\n');
}
