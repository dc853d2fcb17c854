import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import { failureText } from '../../core/messages.js';
import type { JobRecord, JobView } from '../../core/types.js';
import { supportedLocaleOf, translate, type Locale } from '../../i18n/index.js';
import { elapsedText, madeFromText, mayUpscale, optionsLine, waitingText } from '../view-text.js';
import { escapeEcho, fit, fitEcho } from './text.js';
import { linkReason } from './upload.js';
import { customId } from './custom-id.js';
import type { DiscordTarget } from './target.js';

/** Echoed prompts and names never ping anyone: no @everyone, @here, role or user mentions. */
export const NO_PINGS: APIAllowedMentions = { parse: [] };

const COLOR = { working: 0x5865f2, done: 0x57f287, failed: 0xed4245 } as const;
/** Embed descriptions may hold 4096 characters; the rest of the embed needs room too. */
const PROMPT_LIMIT = 3_500;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message body for the REST API: what every create or edit of ours sends. */
export interface MessageBody {
  content: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  allowed_mentions: APIAllowedMentions;
  attachments?: Array<{ id: number; filename: string }>;
}

/** How a finished image reaches the message: uploaded, or linked when it cannot be uploaded. */
export type ImagePlacement =
  | { kind: 'upload'; fileName: string }
  /** `tooLarge`: the upload limit it was over (`unknown` when Discord did not say); absent: not about size. */
  | { kind: 'link'; url: string; tooLarge?: number | 'unknown' };

/** The requester's language, kept on the job (English for jobs recorded before languages). */
export function jobLocale(job: Pick<JobRecord, 'locale'>): Locale {
  return supportedLocaleOf(job.locale) ?? 'en';
}

/** A mention inside an embed shows the name and never pings. */
function requester(target: DiscordTarget): string {
  return `<@${target.userId}>`;
}

/** The prompt as typed: escaped, so none of it renders as markdown inside our embed. */
function promptDescription(prompt: string): string {
  return fitEcho(prompt, PROMPT_LIMIT);
}

type Field = { name: string; value: string; inline: boolean };

/** An echoed prompt inside "Edited from …": escaped and short. */
export const quotePrompt = (prompt: string): string => `“${fitEcho(prompt, 80)}”`;

/**
 * What the image starts from, in words ("Edited from “a fox”", "From cat.png, dog.jpg"), then a
 * link to each source people can open (a hosted one has no address worth showing).
 */
export function madeFrom(
  job: Pick<JobRecord, 'sources' | 'derivedFrom' | 'options'>,
  locale: Locale = 'en',
): string | undefined {
  const sources = job.sources ?? [];
  const line = madeFromLine(job, locale);
  if (!line) return undefined;
  const earlier = translate(locale, 'discord.job.earlierImage');
  const links = sources.flatMap((source) =>
    source.previewUrl
      ? [`[${job.derivedFrom ? earlier : escapeEcho(source.name)}](${source.previewUrl})`]
      : [],
  );
  return links.length > 0 ? `${line}\n${links.join(' · ')}` : line;
}

/** "Edited from “a fox”", "From cat.png, dog.jpg", or undefined for a plain text-to-image job. */
export function madeFromLine(
  job: Pick<JobRecord, 'sources' | 'derivedFrom' | 'options'>,
  locale: Locale,
): string | undefined {
  return madeFromText(job, locale, { prompt: quotePrompt, name: escapeEcho });
}

/** The first source people can open, shown small beside the prompt. */
function sourceThumbnail(job: JobRecord): Pick<APIEmbed, 'thumbnail'> {
  const url = job.sources?.find((source) => source.previewUrl)?.previewUrl;
  return url ? { thumbnail: { url } } : {};
}

function madeFromField(job: JobRecord, locale: Locale): Field[] {
  const line = madeFrom(job, locale);
  return line
    ? [{ name: translate(locale, 'discord.job.madeFrom'), value: fit(line, 1_024), inline: false }]
    : [];
}

/** The fields every job message starts with: its options and who asked. */
function jobFields(job: JobRecord, target: DiscordTarget, locale: Locale): Field[] {
  return [
    {
      name: translate(locale, 'discord.job.options'),
      value: optionsLine(job.options),
      inline: true,
    },
    { name: translate(locale, 'discord.job.requestedBy'), value: requester(target), inline: true },
  ];
}

/** "Queued (position 2)" or "Generating… 23 s": the status message while a job waits. */
export function renderStatus(job: JobRecord, view: JobView, target: DiscordTarget): MessageBody {
  const locale = jobLocale(job);
  return {
    content: '',
    embeds: [
      {
        title: waitingText(view, locale),
        description: promptDescription(job.prompt),
        color: COLOR.working,
        ...sourceThumbnail(job),
        fields: [...jobFields(job, target, locale), ...madeFromField(job, locale)],
      },
    ],
    components: [],
    allowed_mentions: NO_PINGS,
  };
}

/** The result: the image with prompt, options, requester and time taken, plus its buttons. */
export function renderDone(
  job: JobRecord,
  view: Extract<JobView, { kind: 'done' }>,
  target: DiscordTarget,
  image: ImagePlacement | undefined,
): MessageBody {
  const locale = jobLocale(job);
  const fields: Field[] = [
    ...jobFields(job, target, locale),
    {
      name: translate(locale, 'discord.job.timeTaken'),
      value: elapsedText(view.elapsedMs, locale),
      inline: true,
    },
    ...madeFromField(job, locale),
  ];
  if (image?.kind === 'link')
    fields.push({
      name: translate(locale, 'discord.job.note'),
      value: linkReason(image, locale),
      inline: false,
    });
  const embed: APIEmbed = {
    description: promptDescription(job.prompt),
    color: COLOR.done,
    fields,
    ...sourceThumbnail(job),
  };
  if (image)
    embed.image = { url: image.kind === 'upload' ? `attachment://${image.fileName}` : image.url };
  if (image?.kind === 'link') embed.url = image.url;
  return {
    content: '',
    embeds: [embed],
    components: resultButtons(job, target.ephemeral, locale),
    allowed_mentions: NO_PINGS,
    // Naming the one upload replaces whatever attachments the message had before.
    attachments: image?.kind === 'upload' ? [{ id: 0, filename: image.fileName }] : [],
  };
}

/** The failure: the reason (the API's failMsg and failCode when it gave one), the refund, and a retry. */
export function renderFailed(
  job: JobRecord,
  view: Extract<JobView, { kind: 'failed' }>,
  target: DiscordTarget,
): MessageBody {
  const locale = jobLocale(job);
  // Whether the message already says so is read from its English, which every failure keeps.
  const refundNote =
    view.refunded && !/refund/i.test(view.message)
      ? `\n${translate(locale, 'discord.job.refunded')}`
      : '';
  return {
    content: '',
    embeds: [
      {
        title: translate(locale, 'discord.job.failedTitle'),
        // The API's failMsg is outside text of any length: escaped, and within Discord's limits.
        description: `${fitEcho(failureText(view, locale), 2_950)}${refundNote}`,
        color: COLOR.failed,
        fields: [
          { name: translate(locale, 'discord.job.prompt'), value: fitEcho(job.prompt, 1_000) },
          ...jobFields(job, target, locale),
          ...madeFromField(job, locale),
        ],
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: translate(locale, 'discord.button.tryAgain'),
            custom_id: customId('reroll', job.requestId),
          },
        ],
      },
    ],
    allowed_mentions: NO_PINGS,
    attachments: [],
  };
}

type Button = APIComponentInMessageActionRow;

function button(
  label: string,
  emoji: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
  id: string,
): Button {
  return { type: ComponentType.Button, style, label, emoji: { name: emoji }, custom_id: id };
}

/**
 * The result's buttons in the order every platform shows them: Reroll, Edit, Vary, Upscale (until
 * 4K) on the first row; Share, and Delete only on public results (a private result is dismissed
 * by its owner in the client, and nobody else can see it), on the second. Discord fits at most
 * five buttons in a row.
 */
export function resultButtons(
  job: Pick<JobRecord, 'requestId' | 'options'>,
  ephemeral: boolean,
  locale: Locale = 'en',
): ActionRow[] {
  const id = job.requestId;
  const label = (action: 'reroll' | 'edit' | 'vary' | 'upscale' | 'share' | 'delete') =>
    translate(locale, `discord.button.${action}`);
  const making: Button[] = [
    button(label('reroll'), '🔁', ButtonStyle.Primary, customId('reroll', id)),
    button(label('edit'), '✏️', ButtonStyle.Secondary, customId('edit', id)),
    button(label('vary'), '🎲', ButtonStyle.Secondary, customId('vary', id)),
  ];
  if (mayUpscale(job))
    making.push(button(label('upscale'), '🔍', ButtonStyle.Secondary, customId('upscale', id)));
  const passing: Button[] = [
    button(label('share'), '📤', ButtonStyle.Secondary, customId('share', id)),
  ];
  if (!ephemeral)
    passing.push(button(label('delete'), '🗑️', ButtonStyle.Danger, customId('delete', id)));
  return [
    { type: ComponentType.ActionRow, components: making },
    { type: ComponentType.ActionRow, components: passing },
  ];
}

/**
 * When the original message cannot be edited any more, the result goes out as a new message that
 * mentions the requester, and only the requester.
 */
export function addressedTo(body: MessageBody, userId: string, text: string): MessageBody {
  return {
    ...body,
    content: `<@${userId}> ${text}`,
    allowed_mentions: { parse: [], users: [userId] },
  };
}

/** A result posted to a channel by Share: the image with credit to whoever asked for it. */
export function renderShared(
  job: JobRecord,
  requesterId: string | undefined,
  sharerId: string,
  image: ImagePlacement,
  /** The channel's language: the server's (a post for everyone). */
  locale: Locale = 'en',
): MessageBody {
  const fields = [
    {
      name: translate(locale, 'discord.job.options'),
      value: optionsLine(job.options),
      inline: true,
    },
    {
      name: translate(locale, 'discord.job.createdBy'),
      value: requesterId ? `<@${requesterId}>` : fitEcho(job.user.displayName, 1_000),
      inline: true,
    },
    { name: translate(locale, 'discord.job.sharedBy'), value: `<@${sharerId}>`, inline: true },
  ];
  if (image.kind === 'link')
    fields.push({
      name: translate(locale, 'discord.job.note'),
      value: linkReason(image, locale),
      inline: false,
    });
  return {
    content: '',
    embeds: [
      {
        description: promptDescription(job.prompt),
        color: COLOR.done,
        fields,
        image: { url: image.kind === 'upload' ? `attachment://${image.fileName}` : image.url },
      },
    ],
    components: [],
    allowed_mentions: NO_PINGS,
    attachments: image.kind === 'upload' ? [{ id: 0, filename: image.fileName }] : [],
  };
}
