import {
  HISTORY_SIZE,
  type ConversationView,
  type HelpView,
  type HistoryView,
  type Pricing,
  type QuotaView,
} from '../../conversation/index.js';
import type { JobRecord } from '../../core/types.js';
import {
  formatList,
  translator,
  type Locale,
  type MessageKey,
  type Translator,
} from '../../i18n/index.js';
import { optionsLine, truncate, type RESULT_ACTIONS } from '../view-text.js';
import { madeFromText } from './render.js';
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
function usageOf(name: string, view: HelpView, t: Translator): string {
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
      return t('playground.help.alias', { name });
    default:
      return `/imagine ${name}`;
  }
}

/** Where the neutral summary promises what the playground shows otherwise (it lists no links). */
function ownSummary(name: string, t: Translator): string | undefined {
  return name === 'history' ? t('playground.help.history', { size: HISTORY_SIZE }) : undefined;
}

const ACTION_LABELS = {
  reroll: 'playground.card.reroll',
  edit: 'playground.card.edit',
  vary: 'playground.card.vary',
  upscale: 'playground.card.upscale',
  share: 'playground.card.share',
  delete: 'playground.card.delete',
} as const satisfies Record<keyof typeof RESULT_ACTIONS, MessageKey>;

function pricingLine(pricing: Pricing, t: Translator, locale: Locale): string {
  const costs = Object.entries(pricing.costs).map(([size, credits]) =>
    t('playground.pricing.size', { size, count: credits }),
  );
  return t('playground.pricing.line', {
    costs: formatList(costs, locale),
    editing: pricing.editing,
  });
}

function helpLines(view: HelpView, t: Translator, locale: Locale): string[] {
  const options = view.options.map((option) =>
    option.values
      ? `\`${option.flag}\` ${option.values.join(', ')}`
      : t('playground.help.withSummary', {
          label: `\`${option.flag}\``,
          summary: option.meaning ?? '',
        }),
  );
  const buttons = view.actions.map((action) => {
    // Where the playground's button differs from the neutral one.
    const summary = action.action === 'share' ? t('playground.help.shareSummary') : action.summary;
    return t('playground.help.withSummary', { label: t(ACTION_LABELS[action.action]), summary });
  });
  return [
    t('playground.help.title'),
    ...view.commands.map(
      (command) =>
        `\`${usageOf(command.name, view, t)}\` — ${ownSummary(command.name, t) ?? command.summary}`,
    ),
    t('playground.help.options', { options: options.join(' · ') }),
    t('playground.help.buttons', { buttons: formatList(buttons, locale) }),
    t('playground.help.attach'),
    pricingLine(view.pricing, t, locale),
    ...(view.failMarker ? [t('playground.help.failMarker', { marker: view.failMarker })] : []),
  ];
}

function quotaLines(view: QuotaView, t: Translator, locale: Locale): string[] {
  const active = view.inFlight.length;
  return [
    t('playground.quota.left', {
      remaining: view.remaining,
      daily: view.dailyCredits,
      resetsIn: view.resetsIn,
    }),
    ...view.serverPools.map((pool) => poolLine(pool, locale)),
    active > 0
      ? t('playground.quota.inProgress', { count: active })
      : t('playground.quota.nothingInProgress'),
    pricingLine(view.pricing, t, locale),
  ];
}

function historyLine(job: JobRecord, locale: Locale): string {
  const t = translator(locale);
  const outcome =
    job.outcome?.kind === 'success'
      ? t('playground.history.done')
      : job.outcome?.kind === 'failure'
        ? t('playground.history.failed')
        : t(`playground.history.${job.state}`);
  const when = new Date(job.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  // The chain: an edit says what it was made from, so the list reads back to the first image.
  const madeFrom = madeFromText(job, locale);
  return t('playground.history.line', {
    when,
    prompt: truncate(job.prompt, 80),
    options: optionsLine(job.options),
    outcome,
    madeFrom: madeFrom ? t('playground.history.separator', { text: madeFrom }) : '',
  });
}

function historyLines(view: HistoryView, locale: Locale): string[] {
  const t = translator(locale);
  return view.jobs.length > 0
    ? [t('playground.history.title'), ...view.jobs.map((job) => historyLine(job, locale))]
    : [t('playground.history.empty')];
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
      return info(...quotaLines(view, t, locale));
    case 'history':
      return info(...historyLines(view, locale));
    case 'help':
      return info(...helpLines(view, t, locale));
    case 'share-picker':
      return info(t('playground.sharePicker'));
    case 'shared':
      return undefined;
    case 'credits-set':
      return info(
        t('playground.credits.set', {
          name: nameOf(view.person.id),
          count: view.daily,
          left: view.remainingToday,
        }),
      );
    case 'usage':
      return view.person
        ? info(
            t('playground.credits.usage', {
              name: nameOf(view.person.id),
              used: view.used,
              daily: view.dailyCredits,
              remaining: view.remaining,
              inFlight: view.inFlight,
              resetsIn: view.resetsIn,
            }),
          )
        : usageNotice(view, keep, locale);
    case 'settings':
      return settingsNotice(view, locale);
    case 'export':
      return exportNotice(view, keep, locale);
  }
}
