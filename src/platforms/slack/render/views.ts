import type {
  ConversationView,
  HelpView,
  Pricing,
  QuotaView,
  UsageView,
} from '../../../conversation/index.js';
import { DOCUMENTED_FLAGS } from '../../../core/option-text.js';
import { RESULT_ACTIONS } from '../../view-text.js';
import { historyLines } from './home.js';
import { noticeMessage, type SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, slackDate, userText } from './text.js';
import { poolLines, settingsMessage } from './settings.js';
import { exportMessage, usageReportMessage } from './usage.js';
import { MRKDWN_WORDING } from '../wording.js';

/** Where the chart and the export go: ephemeral messages cannot carry files. */
export function inDmNote(fileName: string): string {
  return `The file ${fileName} is in your direct messages with me.`;
}

/** How each of the conversation's commands is typed in Slack: everything goes through `/imagine`. */
const USAGE: Record<string, string> = {
  generate: `/imagine <prompt> [${DOCUMENTED_FLAGS.join(' … ')}]`,
  admin:
    '/imagine admin credits @user 50 (or settings, usage, export, budget, channels, dms, blocklist, audit-channel)',
};

/** Our own wording, so its mentions, dates and code spans are meant. */
function ours(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function help(view: HelpView): SlackMessage {
  const options = view.options
    .map(({ flag, values, meaning }) =>
      values ? `\`${flag}\` ${values.join(', ')}` : `\`${flag}\` (${meaning ?? ''})`,
    )
    .join(' · ');
  const lines = [
    '*Make images with `/imagine`*',
    // Usages contain `<prompt>`, which Slack would read as a link unless escaped.
    ...view.commands.map(
      ({ name, summary }) =>
        `• \`${escapeMrkdwn(USAGE[name] ?? `/imagine ${name}`)}\` — ${summary}`,
    ),
    '• `/imagine` with nothing after it opens a form with a channel picker.',
    '',
    `*Options:* ${options}`,
    '• `/imagine` with nothing after it has a file input: start from up to three of your images.',
    '• *Edit image* in a message’s menu (⋯) edits an image posted there.',
    '',
    '*Buttons on a result:*',
    ...view.actions.map(({ action, summary }) => `• *${RESULT_ACTIONS[action]}*: ${summary}`),
    '',
    pricingLine(view.pricing),
  ];
  if (view.failMarker)
    lines.push(`A prompt containing \`${escapeMrkdwn(view.failMarker)}\` fails on purpose.`);
  return ours(lines.join('\n'));
}

/** "Credits per new image: 1K 1, 2K 2, 4K 4." and what edits cost. */
function pricingLine(pricing: Pricing): string {
  const costs = Object.entries(pricing.costs).map(([size, credits]) => `${size} ${credits}`);
  return `Credits per new image: ${costs.join(', ')}. ${pricing.editing}`;
}

function quota(view: QuotaView): SlackMessage {
  const count = view.inFlight.length;
  return ours(
    [
      `You have *${view.remaining} of ${view.dailyCredits}* credits left today. They reset ${slackDate(view.resetsAt)}.`,
      ...poolLines(view.serverPools),
      count > 0 ? `In progress: ${count} image${count === 1 ? '' : 's'}.` : 'Nothing in progress.',
      pricingLine(view.pricing),
    ].join('\n'),
  );
}

function usage(view: UsageView): SlackMessage {
  if (!view.person) return usageReportMessage(view, inDmNote(view.chart.name));
  return ours(
    `<@${view.person.id}> has used ${view.used} of ${view.dailyCredits} credits today (${view.remaining} left, ${view.inFlight} in progress); they reset ${view.resetsIn}.`,
  );
}

/**
 * A view the conversation shows to one person, as a Slack message. The share picker is not a
 * message but a modal (see shareModal); it never reaches here.
 */
export function privateMessage(
  view: Exclude<ConversationView, { kind: 'share-picker' }>,
): SlackMessage {
  switch (view.kind) {
    case 'notice':
      // Slack's own wording with channel mentions is ours; anything else may echo what was typed.
      return view.code && MRKDWN_WORDING.has(view.code)
        ? ours(view.text)
        : noticeMessage(view.text);
    case 'help':
      return help(view);
    case 'quota':
      return quota(view);
    case 'history': {
      const text =
        view.jobs.length > 0
          ? historyLines(view.jobs).join('\n')
          : 'You have no generations yet. Try `/imagine a red fox in snow`.';
      return { text, blocks: [{ type: 'section', text: userText(text) }] };
    }
    case 'credits-set':
      return ours(`<@${view.person.id}> now has ${view.daily} credits a day.`);
    case 'settings':
      return settingsMessage(view);
    case 'export':
      return exportMessage(view, inDmNote(view.file.name));
    case 'usage':
      return usage(view);
    case 'shared':
      return ours(`:white_check_mark: Shared in <#${view.to}>.`);
  }
}
