import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import type { JobRecord, JobView } from '../../core/types.js';
import { formatElapsed, optionsLine, statusLine } from '../view-text.js';
import { fitEcho } from './text.js';
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

/** "Queued (position 2)" or "Generating… 23 s": the status message while a job waits. */
export function renderStatus(job: JobRecord, view: JobView, target: DiscordTarget): MessageBody {
  return {
    content: '',
    embeds: [
      {
        title: statusLine(view),
        description: promptDescription(job.prompt),
        color: COLOR.working,
        fields: [
          { name: 'Options', value: optionsLine(job.options), inline: true },
          { name: 'Requested by', value: requester(target), inline: true },
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
  const fields = [
    { name: 'Options', value: optionsLine(job.options), inline: true },
    { name: 'Requested by', value: requester(target), inline: true },
    { name: 'Time taken', value: formatElapsed(view.elapsedMs), inline: true },
  ];
  if (image?.kind === 'link') fields.push({ name: 'Note', value: image.reason, inline: false });
  const embed: APIEmbed = { description: promptDescription(job.prompt), color: COLOR.done, fields };
  if (image)
    embed.image = { url: image.kind === 'upload' ? `attachment://${image.fileName}` : image.url };
  if (image?.kind === 'link') embed.url = image.url;
  return {
    content: '',
    embeds: [embed],
    components: [resultButtons(job.requestId, target.ephemeral)],
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

/**
 * Reroll and Share on every result; Delete only on public ones (a private result is dismissed by
 * its owner in the client, and nobody else can see it).
 */
export function resultButtons(requestId: string, ephemeral: boolean): ActionRow {
  const buttons: APIComponentInMessageActionRow[] = [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: 'Reroll',
      emoji: { name: '🔁' },
      custom_id: customId('reroll', requestId),
    },
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: 'Share',
      emoji: { name: '📤' },
      custom_id: customId('share', requestId),
    },
  ];
  if (!ephemeral) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: 'Delete',
      emoji: { name: '🗑️' },
      custom_id: customId('delete', requestId),
    });
  }
  return { type: ComponentType.ActionRow, components: buttons };
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
