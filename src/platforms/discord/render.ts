import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import type { JobRecord, JobView } from '../../core/types.js';
import {
  formatElapsed,
  madeFromLine,
  mayUpscale,
  optionsLine,
  RESULT_ACTIONS,
  statusLine,
} from '../view-text.js';
import { escapeEcho, fit, fitEcho } from './text.js';
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
  { kind: 'upload'; fileName: string } | { kind: 'link'; url: string; reason: string };

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
): string | undefined {
  const sources = job.sources ?? [];
  const line = madeFromLine(
    { ...job, sources: sources.map((source) => ({ ...source, name: escapeEcho(source.name) })) },
    quotePrompt,
  );
  if (!line) return undefined;
  const links = sources.flatMap((source) =>
    source.previewUrl
      ? [
          `[${job.derivedFrom ? 'the earlier image' : escapeEcho(source.name)}](${source.previewUrl})`,
        ]
      : [],
  );
  return links.length > 0 ? `${line}\n${links.join(' · ')}` : line;
}

/** The first source people can open, shown small beside the prompt. */
function sourceThumbnail(job: JobRecord): Pick<APIEmbed, 'thumbnail'> {
  const url = job.sources?.find((source) => source.previewUrl)?.previewUrl;
  return url ? { thumbnail: { url } } : {};
}

function madeFromField(job: JobRecord): Field[] {
  const line = madeFrom(job);
  return line ? [{ name: 'Made from', value: fit(line, 1_024), inline: false }] : [];
}

/** "Queued (position 2)" or "Generating… 23 s": the status message while a job waits. */
export function renderStatus(job: JobRecord, view: JobView, target: DiscordTarget): MessageBody {
  return {
    content: '',
    embeds: [
      {
        title: statusLine(view),
        description: promptDescription(job.prompt),
        color: COLOR.working,
        ...sourceThumbnail(job),
        fields: [
          { name: 'Options', value: optionsLine(job.options), inline: true },
          { name: 'Requested by', value: requester(target), inline: true },
          ...madeFromField(job),
        ],
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
  const fields: Field[] = [
    { name: 'Options', value: optionsLine(job.options), inline: true },
    { name: 'Requested by', value: requester(target), inline: true },
    { name: 'Time taken', value: formatElapsed(view.elapsedMs), inline: true },
    ...madeFromField(job),
  ];
  if (image?.kind === 'link') fields.push({ name: 'Note', value: image.reason, inline: false });
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
    components: resultButtons(job, target.ephemeral),
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
  const refundNote =
    view.refunded && !/refund/i.test(view.message) ? '\nYour credits were refunded.' : '';
  return {
    content: '',
    embeds: [
      {
        title: 'The image could not be generated',
        // The API's failMsg is outside text of any length: escaped, and within Discord's limits.
        description: `${fitEcho(view.message, 2_950)}${refundNote}`,
        color: COLOR.failed,
        fields: [
          { name: 'Prompt', value: fitEcho(job.prompt, 1_000) },
          { name: 'Options', value: optionsLine(job.options), inline: true },
          { name: 'Requested by', value: requester(target), inline: true },
          ...madeFromField(job),
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
            label: 'Try again',
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
): ActionRow[] {
  const id = job.requestId;
  const making: Button[] = [
    button(RESULT_ACTIONS.reroll, '🔁', ButtonStyle.Primary, customId('reroll', id)),
    button(RESULT_ACTIONS.edit, '✏️', ButtonStyle.Secondary, customId('edit', id)),
    button(RESULT_ACTIONS.vary, '🎲', ButtonStyle.Secondary, customId('vary', id)),
  ];
  if (mayUpscale(job))
    making.push(
      button(RESULT_ACTIONS.upscale, '🔍', ButtonStyle.Secondary, customId('upscale', id)),
    );
  const passing: Button[] = [
    button(RESULT_ACTIONS.share, '📤', ButtonStyle.Secondary, customId('share', id)),
  ];
  if (!ephemeral)
    passing.push(button(RESULT_ACTIONS.delete, '🗑️', ButtonStyle.Danger, customId('delete', id)));
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
): MessageBody {
  const fields = [
    { name: 'Options', value: optionsLine(job.options), inline: true },
    {
      name: 'Created by',
      value: requesterId ? `<@${requesterId}>` : fitEcho(job.user.displayName, 1_000),
      inline: true,
    },
    { name: 'Shared by', value: `<@${sharerId}>`, inline: true },
  ];
  if (image.kind === 'link') fields.push({ name: 'Note', value: image.reason, inline: false });
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
