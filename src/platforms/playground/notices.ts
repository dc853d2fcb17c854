import {
  HISTORY_SIZE,
  type ConversationView,
  type HelpView,
  type HistoryView,
  type Pricing,
  type QuotaView,
} from '../../conversation/index.js';
import type { JobRecord } from '../../core/types.js';
import { translator, type Locale } from '../../i18n/index.js';
import { madeFromLine, optionsLine, RESULT_ACTIONS, truncate } from '../view-text.js';
import {
  exportNotice,
  poolLine,
  settingsNotice,
  usageNotice,
  type KeepFile,
} from './admin-notices.js';
import { findUser } from './people.js';
import type { Notice } from './room.js';

/** How each command is typed in the playground's message box. */
function usageOf(name: string, view: HelpView): string {
  switch (name) {
    case 'generate':
      // `--image` is repeatable and takes a link: the options line says how, after the usage.
      return `/imagine <prompt> [${view.options
        .filter((option) => option.flag !== '--image')
        .map((option) => option.flag)
        .join(' … ')}]`;
    case 'admin':
      return '/imagine admin settings|budget|channels|blocklist|usage|export|audit-channel|credits';
    case 'help':
    case 'quota':
    case 'history':
      return `/imagine ${name} (or /${name})`;
    default:
      return `/imagine ${name}`;
  }
}

/** Where the neutral summary promises what the playground shows otherwise (it lists no links). */
const OWN_SUMMARY: Partial<Record<string, string>> = {
  history: `Your last ${HISTORY_SIZE} generations: when, the prompt, the options and how each ended.`,
};

/** Where the playground's button differs from the neutral one. */
const OWN_ACTION_SUMMARY: Partial<Record<string, string>> = {
  share: 'to the other channel',
};

function pricingLine(pricing: Pricing): string {
  const costs = Object.entries(pricing.costs).map(
    ([size, credits]) => `${size} ${credits} credit${credits === 1 ? '' : 's'}`,
  );
  return `A new image costs ${costs.join(', ')}. ${pricing.editing}`;
}

function helpLines(view: HelpView): string[] {
  const options = view.options.map((option) =>
    option.values
      ? `\`${option.flag}\` ${option.values.join(', ')}`
      : `\`${option.flag}\` (${option.meaning ?? ''})`,
  );
  return [
    'Make images with /imagine:',
    ...view.commands.map(
      (command) =>
        `\`${usageOf(command.name, view)}\` — ${OWN_SUMMARY[command.name] ?? command.summary}`,
    ),
    `Options: ${options.join(' · ')}`,
    `Results have buttons: ${view.actions
      .map(
        (action) =>
          `${RESULT_ACTIONS[action.action]} (${OWN_ACTION_SUMMARY[action.action] ?? action.summary})`,
      )
      .join(', ')}.`,
    'Attach (＋) or paste up to three PNG, JPEG or WEBP images (30 MB each) beside the message box to start from them; the prompt says what to change. Sent without a prompt, they are posted, and “Edit image” on them edits one.',
    pricingLine(view.pricing),
    ...(view.failMarker
      ? [
          `Simulated image API: a prompt containing \`${view.failMarker}\` fails the way a refused prompt does.`,
        ]
      : []),
  ];
}

function quotaLines(view: QuotaView): string[] {
  const active = view.inFlight.length;
  return [
    `You have ${view.remaining} of ${view.dailyCredits} credits left today. They reset ${view.resetsIn}.`,
    ...view.serverPools.map(poolLine),
    active > 0 ? `In progress: ${active} image${active === 1 ? '' : 's'}.` : 'Nothing in progress.',
    pricingLine(view.pricing),
  ];
}

function historyLine(job: JobRecord): string {
  const outcome =
    job.outcome?.kind === 'success'
      ? 'done'
      : job.outcome?.kind === 'failure'
        ? 'failed'
        : job.state;
  const when = new Date(job.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  // The chain: an edit says what it was made from, so the list reads back to the first image.
  const madeFrom = madeFromLine(job);
  return `${when} UTC · "${truncate(job.prompt, 80)}" · ${optionsLine(job.options)} · ${outcome}${madeFrom ? ` · ${madeFrom}` : ''}`;
}

function historyLines(view: HistoryView): string[] {
  return view.jobs.length > 0
    ? ['Your recent generations:', ...view.jobs.map(historyLine)]
    : ['You have no generations yet. Try `/imagine a red fox in snow`.'];
}

const nameOf = (id: string) => findUser(id)?.name ?? id;

/**
 * A conversation view as the private card the page shows. A finished share has none: the copy
 * appearing in the other channel is the answer, and the page notes it beside the button. `keep`
 * holds an attached file (chart, export) for the card's link.
 */
export function noticeOf(
  view: ConversationView,
  keep: KeepFile,
  locale: Locale,
): Notice | undefined {
  const t = translator(locale);
  const info = (...lines: string[]): Notice => ({ type: 'notice', tone: 'info', lines });
  switch (view.kind) {
    case 'notice':
      return { type: 'notice', tone: view.tone, lines: [view.text] };
    case 'quota':
      return info(...quotaLines(view));
    case 'history':
      return info(...historyLines(view));
    case 'help':
      return info(...helpLines(view));
    case 'share-picker':
      return info(t('playground.sharePicker'));
    case 'shared':
      return undefined;
    case 'credits-set':
      return info(
        `${nameOf(view.person.id)} now has ${view.daily} credit${view.daily === 1 ? '' : 's'} a day; ${view.remainingToday} left today.`,
      );
    case 'usage':
      return view.person
        ? info(
            `${nameOf(view.person.id)} used ${view.used} of ${view.dailyCredits} credits today (${view.remaining} left, ${view.inFlight} in progress). They reset ${view.resetsIn}.`,
          )
        : usageNotice(view, keep);
    case 'settings':
      return settingsNotice(view);
    case 'export':
      return exportNotice(view, keep);
  }
}
