import type {
  ConversationView,
  HelpView,
  Pricing,
  QuotaView,
  UsageView,
} from '../../../conversation/index.js';
import { DOCUMENTED_FLAGS } from '../../../core/option-text.js';
import { translate, type Locale } from '../../../i18n/index.js';
import { historyLines } from './home.js';
import { buttonLabel, noticeMessage, type SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, slackDate, userText } from './text.js';
import { poolLines, settingsMessage } from './settings.js';
import { exportMessage, usageReportMessage } from './usage.js';
import { MRKDWN_WORDING } from '../wording.js';

/** Where the chart and the export go: ephemeral messages cannot carry files. */
export function inDmNote(fileName: string, locale: Locale = 'en'): string {
  return translate(locale, 'slack.file.inDm', { name: fileName });
}

/** How each of the conversation's commands is typed in Slack: everything goes through `/imagine`. */
function usageOf(name: string, locale: Locale): string {
  if (name === 'generate') return `/imagine <prompt> [${DOCUMENTED_FLAGS.join(' … ')}]`;
  if (name === 'admin') return translate(locale, 'slack.help.usage.admin');
  return `/imagine ${name}`;
}

/** Our own wording, so its mentions, dates and code spans are meant. */
function ours(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function help(view: HelpView, locale: Locale): SlackMessage {
  const options = view.options
    .map(({ flag, values, meaning }) =>
      values ? `\`${flag}\` ${values.join(', ')}` : `\`${flag}\` (${meaning ?? ''})`,
    )
    .join(' · ');
  const lines = [
    translate(locale, 'slack.help.title'),
    // Usages contain `<prompt>`, which Slack would read as a link unless escaped.
    ...view.commands.map(
      ({ name, summary }) => `• \`${escapeMrkdwn(usageOf(name, locale))}\` — ${summary}`,
    ),
    translate(locale, 'slack.help.openForm'),
    '',
    translate(locale, 'slack.help.options', { options }),
    translate(locale, 'slack.help.fileInput'),
    translate(locale, 'slack.help.editImage'),
    '',
    translate(locale, 'slack.help.buttons'),
    ...view.actions.map(({ action, summary }) => `• *${buttonLabel(action, locale)}*: ${summary}`),
    '',
    pricingLine(view.pricing, locale),
  ];
  if (view.failMarker)
    lines.push(
      translate(locale, 'slack.help.failMarker', { marker: escapeMrkdwn(view.failMarker) }),
    );
  return ours(lines.join('\n'));
}

/** "Credits per new image: 1K 1, 2K 2, 4K 4." and what edits cost. */
function pricingLine(pricing: Pricing, locale: Locale): string {
  const costs = Object.entries(pricing.costs).map(([size, credits]) => `${size} ${credits}`);
  return translate(locale, 'slack.pricing.line', {
    costs: costs.join(translate(locale, 'list.separator')),
    editing: pricing.editing,
  });
}

function quota(view: QuotaView, locale: Locale): SlackMessage {
  const count = view.inFlight.length;
  return ours(
    [
      translate(locale, 'slack.quota.left', {
        remaining: view.remaining,
        daily: view.dailyCredits,
        when: slackDate(view.resetsAt, locale),
      }),
      ...poolLines(view.serverPools, locale),
      count > 0
        ? translate(locale, 'slack.quota.inProgress', { count })
        : translate(locale, 'slack.quota.nothingInProgress'),
      pricingLine(view.pricing, locale),
    ].join('\n'),
  );
}

function usage(view: UsageView, locale: Locale): SlackMessage {
  if (!view.person) return usageReportMessage(view, inDmNote(view.chart.name, locale), locale);
  return ours(
    translate(locale, 'slack.usage.person', {
      user: `<@${view.person.id}>`,
      used: view.used,
      daily: view.dailyCredits,
      remaining: view.remaining,
      inFlight: view.inFlight,
      resetsIn: view.resetsIn,
    }),
  );
}

/**
 * A view the conversation shows to one person, as a Slack message. The share picker is not a
 * message but a modal (see shareModal); it never reaches here.
 */
export function privateMessage(
  view: Exclude<ConversationView, { kind: 'share-picker' }>,
  locale: Locale = 'en',
): SlackMessage {
  switch (view.kind) {
    case 'notice':
      // Slack's own wording with channel mentions is ours; anything else may echo what was typed.
      return view.code && MRKDWN_WORDING.has(view.code)
        ? ours(view.text)
        : noticeMessage(view.text);
    case 'help':
      return help(view, locale);
    case 'quota':
      return quota(view, locale);
    case 'history': {
      const text =
        view.jobs.length > 0
          ? historyLines(view.jobs, locale).join('\n')
          : translate(locale, 'slack.history.empty');
      return { text, blocks: [{ type: 'section', text: userText(text) }] };
    }
    case 'credits-set':
      return ours(
        translate(locale, 'slack.credits.set', {
          user: `<@${view.person.id}>`,
          daily: String(view.daily),
        }),
      );
    case 'settings':
      return settingsMessage(view, locale);
    case 'export':
      return exportMessage(view, inDmNote(view.file.name, locale), locale);
    case 'usage':
      return usage(view, locale);
    case 'shared':
      return ours(translate(locale, 'slack.shared', { channel: `<#${view.to}>` }));
  }
}
