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
import { typedName } from './commands/localized.js';
import { customId } from './custom-id.js';
import { translate, type Locale } from '../../i18n/index.js';
import { madeFromLine, NO_PINGS, type ActionRow, type MessageBody } from './render.js';
import { isDiscordTarget } from './target.js';
import { fit, fitEcho } from './text.js';

const BLURPLE = 0x5865f2;

function message(
  content: string,
  embeds: APIEmbed[] = [],
  components: ActionRow[] = [],
): MessageBody {
  return { content: fit(content, 2_000), embeds, components, allowed_mentions: NO_PINGS };
}

/** A conversation view as a Discord message for the person who acted, in their language. */
export function renderView(view: ConversationView, locale: Locale = 'en'): MessageBody {
  const admin = renderAdminView(view, locale);
  if (admin) return admin;
  switch (view.kind) {
    case 'notice':
      return message(view.text);
    case 'quota':
      return message('', [quotaEmbed(view, locale)]);
    case 'history':
      return message('', [historyEmbed(view, locale)]);
    case 'help':
      return message(helpText(view, locale));
    case 'share-picker':
      return message(
        translate(locale, 'discord.share.pick'),
        [],
        [channelPicker(view.job, locale)],
      );
    case 'shared':
      return message(translate(locale, 'discord.share.done', { channel: `<#${view.to}>` }));
    case 'credits-set':
      return message(creditsSetText(view, locale));
    case 'usage':
      return message(usageText(view, locale));
    case 'settings':
    case 'export':
      // Rendered by renderAdminView above.
      return message('');
  }
}

/** A job's state as a word ("queued", "waiting"), in the reader's language. */
function stateWord(state: JobRecord['state'], locale: Locale): string {
  return translate(locale, `discord.jobState.${state}`);
}

function quotaEmbed(view: QuotaView, locale: Locale): APIEmbed {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(locale, key, params);
  const inFlight =
    view.inFlight.length === 0
      ? t('discord.quota.nothingInFlight')
      : view.inFlight
          .map((job) =>
            t('discord.quota.inFlightLine', {
              prompt: fitEcho(job.prompt.replace(/\s+/g, ' '), 80),
              options: describeOptions(job.options),
              state: stateWord(job.state, locale),
            }),
          )
          .join('\n');
  // Counts as typed (10000, not 10,000), as they always read.
  return {
    title: t('discord.quota.title'),
    color: BLURPLE,
    fields: [
      {
        name: t('discord.quota.leftToday'),
        value: t('discord.quota.leftOf', {
          remaining: String(view.remaining),
          daily: String(view.dailyCredits),
        }),
        inline: true,
      },
      { name: t('discord.quota.resets'), value: view.resetsIn, inline: true },
      ...view.serverPools.map((pool) => ({
        name: t(pool.period === 'day' ? 'discord.quota.serverToday' : 'discord.quota.serverMonth'),
        value: t('discord.quota.poolLeft', {
          remaining: String(pool.remaining),
          limit: String(pool.limit),
          resetsIn: pool.resetsIn,
        }),
        inline: true,
      })),
      // A field value holds at most 1,024 characters, however many jobs are in flight.
      {
        name: t('discord.quota.inFlight', { jobs: String(view.inFlight.length) }),
        value: fit(inFlight, 1_024),
      },
      { name: t('discord.quota.costs'), value: pricingText(view.pricing, locale) },
    ],
  };
}

/** "1K: 1 credit · 2K: 2 credits · 4K: 4 credits", then what Edit, Vary and Upscale cost. */
function pricingText(pricing: Pricing, locale: Locale): string {
  const costs = Object.entries(pricing.costs)
    .map(([size, cost]) =>
      translate(locale, 'discord.pricing.size', { size, count: cost, credits: String(cost) }),
    )
    .join(' · ');
  return fit(`${costs}\n${pricing.editing}`, 1_024);
}

/** Where the result can be seen again: the image itself, and the message when it is public. */
function links(job: JobRecord, locale: Locale): string {
  const parts: string[] = [];
  const outcome = job.outcome;
  if (outcome?.kind === 'success' && outcome.imageUrls[0])
    parts.push(`[${translate(locale, 'discord.history.image')}](${outcome.imageUrls[0]})`);
  const target = job.target;
  if (isDiscordTarget(target) && !target.ephemeral && target.messageId) {
    parts.push(
      `[${translate(locale, 'discord.history.message')}](https://discord.com/channels/${target.guildId ?? '@me'}/${target.channelId}/${target.messageId})`,
    );
  }
  if (outcome?.kind === 'failure') parts.push(translate(locale, 'discord.history.failed'));
  return parts.join(' · ') || stateWord(job.state, locale);
}

function historyLine(job: JobRecord, locale: Locale): string {
  const when = `<t:${Math.floor(job.createdAt / 1000)}:R>`;
  // Backticks cannot be escaped inside inline code, so they are swapped for a look-alike.
  const prompt = fit(cleanEcho(job.prompt).replace(/\s+/g, ' ').replace(/`/g, 'ˋ'), 90);
  // What it was made from (an edit names its parent), so the list reads as a chain.
  const made = madeFromLine(job, locale);
  const from = made ? ` · ${made}` : '';
  return `${when} \`${prompt}\` (${describeOptions(job.options)}): ${links(job, locale)}${from}`;
}

function historyEmbed(view: HistoryView, locale: Locale): APIEmbed {
  const description =
    view.jobs.length === 0
      ? translate(locale, 'discord.history.empty')
      : view.jobs.map((job) => historyLine(job, locale)).join('\n');
  return {
    title: translate(locale, 'discord.history.title'),
    color: BLURPLE,
    description: fit(description, 4_000),
  };
}

/** The conversation's names for what a person can ask, as Discord's commands are named. */
const COMMAND_SYNTAX: Record<string, { command: string; option?: string }> = {
  generate: { command: 'imagine', option: 'prompt' },
  help: { command: 'help' },
  quota: { command: 'quota' },
  history: { command: 'history' },
  admin: { command: 'imagine-admin' },
};

/** The conversation's option flags, as `/imagine`'s options are named. */
const OPTION_NAMES: Record<string, string> = {
  '--ar': 'aspect_ratio',
  '--res': 'resolution',
  '--quality': 'quality',
  '--format': 'output_format',
  '--private': 'private',
};

/** `/imagine prompt:…` as the reader's Discord client names the command and its option. */
function commandSyntax(name: string, locale: Locale): string | undefined {
  const syntax = COMMAND_SYNTAX[name];
  if (!syntax) return undefined;
  const option = syntax.option ? ` ${typedName(syntax.option, locale)}:…` : '';
  return '`/' + typedName(syntax.command, locale) + option + '`';
}

function helpText(view: HelpView, locale: Locale): string {
  const commands = view.commands.flatMap((command) => {
    const syntax = commandSyntax(command.name, locale);
    return syntax ? [`${syntax}: ${command.summary}`] : [];
  });
  const options = view.options
    .filter(({ flag }) => OPTION_NAMES[flag])
    .map(({ flag, values }) => {
      const name = '`' + typedName(OPTION_NAMES[flag]!, locale) + '`';
      return values ? `${name} (${values.join(', ')})` : name;
    });
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(locale, key, params);
  const lines = [
    t('discord.help.title'),
    ...commands,
    '',
    t('discord.help.options', { options: options.join(' · ') }),
    t('discord.help.images'),
    t('discord.help.editImage'),
    '',
    t('discord.help.buttons'),
    ...view.actions.map(
      ({ action, summary }) => `**${t(`discord.button.${action}`)}**: ${summary}`,
    ),
    '',
    t('discord.help.costs', { costs: pricingText(view.pricing, locale) }),
  ];
  if (view.failMarker) lines.push(t('discord.help.failMarker', { marker: view.failMarker }));
  return fit(lines.join('\n'), 2_000);
}

function channelPicker(job: JobRecord, locale: Locale): ActionRow {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.ChannelSelect,
        custom_id: customId('share-to', job.requestId),
        placeholder: translate(locale, 'discord.share.choose'),
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        min_values: 1,
        max_values: 1,
      },
    ],
  };
}

function creditsSetText({ person, daily, remainingToday }: CreditsSetView, locale: Locale): string {
  return translate(locale, 'discord.credits.set', {
    person: `<@${person.id}>`,
    count: daily,
    daily: String(daily),
    remaining: String(remainingToday),
  });
}

function usageText(view: UsageView, locale: Locale): string {
  if (!view.person) {
    const count = view.generatingNow;
    return translate(locale, 'discord.usage.generating', { count, images: String(count) });
  }
  return [
    translate(locale, 'discord.usage.person', {
      person: `<@${view.person.id}>`,
      used: String(view.used),
      daily: String(view.dailyCredits),
      remaining: String(view.remaining),
    }),
    translate(locale, 'discord.usage.now', {
      inFlight: String(view.inFlight),
      resetsIn: view.resetsIn,
    }),
  ].join('\n');
}
