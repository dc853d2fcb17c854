import type { types } from '@slack/bolt';
import { failureText } from '../../../core/messages.js';
import type { JobRecord, JobView } from '../../../core/types.js';
import { translate, type Locale, type MessageKey } from '../../../i18n/index.js';
import {
  elapsedText,
  madeFromText as lineage,
  mayUpscale,
  optionsLine,
  waitingText,
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

/**
 * "Edited from “a red fox”", "From cat.png, dog.jpg", or undefined for a plain text-to-image job:
 * escaped, since prompts and file names are people's text.
 */
export function madeFromText(job: JobSummary, locale: Locale = 'en'): string | undefined {
  return lineage(job, locale, {
    prompt: (prompt) => `“${promptText(prompt.replace(/\s+/g, ' '), 80)}”`,
    name: escapeMrkdwn,
  });
}

/**
 * What the image was made from: "Edited from “a red fox”", "From cat.png, dog.jpg", with links to
 * the sources anyone can open (a Slack file uploaded here has none: it is the person's own).
 */
export function madeFromBlocks(job: JobSummary, locale: Locale): Block[] {
  const line = madeFromText(job, locale);
  if (!line) return [];
  const links = (job.sources ?? [])
    .filter((source) => source.previewUrl)
    .map((source) => sourceLink(source.previewUrl!, source.name));
  const separator = translate(locale, 'list.separator');
  const text = links.length > 0 ? `${line} · ${links.join(separator)}` : line;
  return [{ type: 'context', elements: [userText(text)] }];
}

/** The result buttons every platform shows, in this order, with their labels' keys. */
const BUTTON_LABELS = {
  reroll: 'slack.button.reroll',
  edit: 'slack.button.edit',
  vary: 'slack.button.vary',
  upscale: 'slack.button.upscale',
  share: 'slack.button.share',
  delete: 'slack.button.delete',
} as const satisfies Record<string, MessageKey>;

type ResultAction = keyof typeof BUTTON_LABELS;

/** A result action's button label in the reader's language (help lists them too). */
export function buttonLabel(action: ResultAction, locale: Locale): string {
  return translate(locale, BUTTON_LABELS[action]);
}

/** A result's buttons in the order every platform shows them; Upscale only below the largest size. */
function resultButtons(
  job: JobSummary,
  value: string,
  which: readonly ResultAction[],
  locale: Locale,
): Block {
  const elements = which
    .filter((action) => action !== 'upscale' || mayUpscale(job))
    .map((action) => ({
      type: 'button' as const,
      action_id: ACTION[action],
      text: plain(buttonLabel(action, locale)),
      value,
      ...(action === 'delete' ? { style: 'danger' as const } : {}),
    }));
  return { type: 'actions', elements };
}

/** "16:9 · 2K · requested by @ann · done in 23 s" */
function detailsBlock(job: JobSummary, locale: Locale, extra?: string): Block {
  const parts = [
    optionsLine(job.options),
    translate(locale, 'slack.job.requestedBy', { user: requester(job) }),
  ];
  if (extra) parts.push(extra);
  return { type: 'context', elements: [mrkdwn(parts.join(' · '))] };
}

/** Queued or generating: the status message edited while the requester waits. */
export function statusMessage(job: JobSummary, view: JobView, locale: Locale): SlackMessage {
  const line = waitingText(view, locale);
  return {
    text: `${line}: ${promptText(job.prompt, 150)}`,
    blocks: [
      { type: 'section', text: mrkdwn(`:hourglass_flowing_sand: *${escapeMrkdwn(line)}*`) },
      promptBlock(job),
      ...madeFromBlocks(job, locale),
      detailsBlock(job, locale),
    ],
  };
}

/** The finished image's message: the file itself is attached by the upload, these blocks go with it. */
export function resultMessage(
  job: JobSummary,
  view: Extract<JobView, { kind: 'done' }>,
  fileId: string,
  locale: Locale,
): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId });
  const doneIn = translate(locale, 'slack.job.doneIn', {
    elapsed: elapsedText(view.elapsedMs, locale),
  });
  return {
    text: translate(locale, 'slack.job.resultText', { prompt: promptText(job.prompt, 150) }),
    blocks: [
      promptBlock(job),
      ...madeFromBlocks(job, locale),
      detailsBlock(job, locale, doneIn),
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'share', 'delete'], locale),
    ],
  };
}

/** A failure, with the API's own reason (failMsg/failCode are inside the catalogued message) and the refund. */
export function failureMessage(
  job: JobSummary,
  view: Extract<JobView, { kind: 'failed' }>,
  locale: Locale,
): SlackMessage {
  // The API's own words (failMsg) stay as it gave them, inside a sentence in the reader's language.
  const reason = escapeMrkdwn(failureText(view, locale));
  return {
    text: translate(locale, 'slack.job.failedText', { message: reason }),
    blocks: [
      { type: 'section', text: userText(`:warning: ${reason}`) },
      promptBlock(job),
      ...madeFromBlocks(job, locale),
      detailsBlock(
        job,
        locale,
        view.refunded ? translate(locale, 'slack.job.refunded') : undefined,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.retry,
            text: plain(translate(locale, 'slack.button.retry')),
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
  locale: Locale,
): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId });
  return {
    text: translate(locale, 'slack.job.privateReadyText'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(translate(locale, 'slack.job.privateReady', { dm: `<#${dmChannelId}>` })),
      },
      promptBlock(job),
      ...madeFromBlocks(job, locale),
      // Nothing to delete: the image is in the requester's own DM.
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'share'], locale),
    ],
  };
}

/** A shared copy posted in another channel: who shared it, who asked, and the prompt. */
export function sharedMessage(
  job: JobSummary,
  sharedBy: string,
  fileId: string,
  locale: Locale,
): SlackMessage {
  const value = encodeButtonValue({ requestId: job.requestId, fileId, sharedBy });
  const user = `<@${sharedBy}>`;
  return {
    text: translate(locale, 'slack.job.sharedByText', { user }),
    blocks: [
      { type: 'context', elements: [mrkdwn(translate(locale, 'slack.job.sharedBy', { user }))] },
      promptBlock(job),
      ...madeFromBlocks(job, locale),
      detailsBlock(job, locale),
      // A copy is shared already; it is not shared on from here.
      resultButtons(job, value, ['reroll', 'edit', 'vary', 'upscale', 'delete'], locale),
    ],
  };
}

/** A short plain message for the requester alone (errors, confirmations). */
export function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: userText(escapeMrkdwn(text)) }] };
}
