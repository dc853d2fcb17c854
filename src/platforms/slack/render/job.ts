import type { types } from '@slack/bolt';
import type { JobRecord, JobView } from '../../../core/types.js';
import {
  formatElapsed,
  madeFromLine,
  mayUpscale,
  optionsLine,
  RESULT_ACTIONS,
  statusLine,
} from '../../view-text.js';
import { userIdOfKey } from '../target.js';
import { ACTION, encodeButtonValue } from './ids.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, userText } from './text.js';

type Block = types.KnownBlock;

/** What the renderers need of a job; a request not yet accepted by core has these too. */
export type JobSummary = Pick<
  JobRecord,
  'requestId' | 'prompt' | 'options' | 'user' | 'sources' | 'derivedFrom'
>;

/** A message body: `text` is the notification and screen-reader fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

function requester(job: JobSummary): string {
  const userId = userIdOfKey(job.user.key);
  return userId ? `<@${userId}>` : escapeMrkdwn(job.user.displayName);
}

function promptBlock(job: JobSummary): Block {
  return { type: 'section', text: userText(`>${promptText(job.prompt).replace(/\n/g, '\n>')}`) };
}

/** A public source as a link people can open; Slack would read `|` or `>` in it as the link's end. */
function sourceLink(url: string, name: string): string {
  return `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(name)}>`;
}

/** "Edited from “a red fox”", "From cat.png": escaped, since prompts and file names are people's text. */
export function madeFromText(job: JobSummary): string | undefined {
  const named = {
    ...job,
    sources: job.sources?.map((s) => ({ ...s, name: escapeMrkdwn(s.name) })),
  };
  return madeFromLine(named, (prompt) => `“${promptText(prompt.replace(/\s+/g, ' '), 80)}”`);
}

/**
 * What the image was made from: "Edited from “a red fox”", "From cat.png, dog.jpg", with links to
 * the sources anyone can open (a Slack file uploaded here has none: it is the person's own).
 */
export function madeFromBlocks(job: JobSummary): Block[] {
  const line = madeFromText(job);
  if (!line) return [];
  const links = (job.sources ?? [])
    .filter((source) => source.previewUrl)
    .map((source) => sourceLink(source.previewUrl!, source.name));
  const text = links.length > 0 ? `${line} · ${links.join(', ')}` : line;
  return [{ type: 'context', elements: [userText(text)] }];
}

/** A result's buttons in the order every platform shows them; Upscale only below the largest size. */
function resultButtons(
  job: JobSummary,
  value: string,
  which: ReadonlyArray<keyof typeof RESULT_ACTIONS>,
): Block {
  const elements = which
    .filter((action) => action !== 'upscale' || mayUpscale(job))
    .map((action) => ({
      type: 'button' as const,
      action_id: ACTION[action],
      text: plain(RESULT_ACTIONS[action]),
      value,
      ...(action === 'delete' ? { style: 'danger' as const } : {}),
    }));
  return { type: 'actions', elements };
}

/** "16:9 · 2K · requested by @ann · done in 23 s" */
function detailsBlock(job: JobSummary, extra?: string): Block {
  const parts = [optionsLine(job.options), `requested by ${requester(job)}`];
  if (extra) parts.push(extra);
  return { type: 'context', elements: [mrkdwn(parts.join(' · '))] };
}

/** Queued or generating: the status message edited while the requester waits. */
export function statusMessage(job: JobSummary, view: JobView): SlackMessage {
  const line = statusLine(view);
  return {
    text: `${line}: ${promptText(job.prompt, 150)}`,
    blocks: [
      { type: 'section', text: mrkdwn(`:hourglass_flowing_sand: *${escapeMrkdwn(line)}*`) },
      promptBlock(job),
      ...madeFromBlocks(job),
      detailsBlock(job),
    ],
  };
}

/** The finished image's message: the file itself is attached by the upload, these blocks go with it. */
export function resultMessage(
  job: JobSummary,
  view: Extract<JobView, { kind: 'done' }>,
  fileId: string,
): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId });
  return {
    text: `Image for: ${promptText(job.prompt, 150)}`,
    blocks: [
      promptBlock(job),
      ...madeFromBlocks(job),
      detailsBlock(job, `done in ${formatElapsed(view.elapsedMs)}`),
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'share', 'delete']),
    ],
  };
}

/** A failure, with the API's own reason (failMsg/failCode are inside the catalogued message) and the refund. */
export function failureMessage(
  job: JobSummary,
  view: Extract<JobView, { kind: 'failed' }>,
): SlackMessage {
  return {
    text: `Image failed: ${escapeMrkdwn(view.message)}`,
    blocks: [
      { type: 'section', text: userText(`:warning: ${escapeMrkdwn(view.message)}`) },
      promptBlock(job),
      ...madeFromBlocks(job),
      detailsBlock(job, view.refunded ? 'credits refunded' : undefined),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.retry,
            text: plain('Try again'),
            value: encodeButtonValue({ requestId: job.requestId }),
          },
        ],
      },
    ],
  };
}

/** The ephemeral note a private job's requester sees: the image itself waits in their DM. */
export function privateResultNote(
  job: JobSummary,
  fileId: string,
  dmChannelId: string,
): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId });
  return {
    text: 'Your image is ready in our DM.',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:frame_with_picture: Your image is ready, privately, in <#${dmChannelId}>. Share it with a channel when you like.`,
        ),
      },
      promptBlock(job),
      ...madeFromBlocks(job),
      // Nothing to delete: the image is in the requester's own DM.
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'share']),
    ],
  };
}

/** A shared copy posted in another channel: who shared it, who asked, and the prompt. */
export function sharedMessage(job: JobSummary, sharedBy: string, fileId: string): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId, sharedBy });
  return {
    text: `Image shared by <@${sharedBy}>`,
    blocks: [
      { type: 'context', elements: [mrkdwn(`Shared by <@${sharedBy}>`)] },
      promptBlock(job),
      ...madeFromBlocks(job),
      detailsBlock(job),
      // A copy is shared already; it is not shared on from here.
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'delete']),
    ],
  };
}

/** A short plain message for the requester alone (errors, confirmations). */
export function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: userText(escapeMrkdwn(text)) }] };
}
