import type { types } from '@slack/bolt';
import type { JobRecord, JobView } from '../../../core/types.js';
import { formatElapsed, optionsLine, statusLine } from '../../view-text.js';
import { userIdOfKey } from '../target.js';
import { ACTION, encodeButtonValue } from './ids.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, userText } from './text.js';

type Block = types.KnownBlock;

/** What the renderers need of a job; a request not yet accepted by core has these too. */
export type JobSummary = Pick<JobRecord, 'requestId' | 'prompt' | 'options' | 'user'>;

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
      detailsBlock(job, `done in ${formatElapsed(view.elapsedMs)}`),
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: ACTION.reroll, text: plain('Reroll'), value },
          { type: 'button', action_id: ACTION.share, text: plain('Share'), value },
          {
            type: 'button',
            action_id: ACTION.delete,
            text: plain('Delete'),
            value,
            style: 'danger',
          },
        ],
      },
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
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: ACTION.share, text: plain('Share'), value },
          { type: 'button', action_id: ACTION.reroll, text: plain('Reroll'), value },
        ],
      },
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
      detailsBlock(job),
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: ACTION.reroll, text: plain('Reroll'), value },
          {
            type: 'button',
            action_id: ACTION.delete,
            text: plain('Delete'),
            value,
            style: 'danger',
          },
        ],
      },
    ],
  };
}

/** A short plain message for the requester alone (errors, confirmations). */
export function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: userText(escapeMrkdwn(text)) }] };
}
