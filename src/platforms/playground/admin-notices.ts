import type {
  ExportView,
  ServerPoolView,
  SettingsView,
  UsageReportView,
} from '../../conversation/index.js';
import type { SettingsChange } from '../../conversation/interaction.js';
import type { AttachedFile } from '../../conversation/views.js';
import {
  formatList,
  translate,
  translator,
  type Locale,
  type Translator,
} from '../../i18n/index.js';
import { findChannel } from './people.js';
import type { Notice } from './room.js';

/** Keeps an attached file for the page and answers the link to it. */
export type KeepFile = (file: AttachedFile) => string;

const info = (lines: string[], extra: Partial<Notice> = {}): Notice => ({
  type: 'notice',
  tone: 'info',
  lines,
  ...extra,
});

/** A channel as people in the playground name it. */
export const channelShown = (id: string, locale: Locale = 'en') =>
  id === '' ? translate(locale, 'playground.directMessages') : `#${findChannel(id)?.name ?? id}`;

const codeList = (entries: readonly string[]) => entries.map((entry) => `\`${entry}\``).join(', ');

/** "The server shares 40 of 50 credits left today; they reset in 3 h (00:00 UTC)." */
export function poolLine(pool: ServerPoolView, locale: Locale): string {
  return translate(locale, `playground.admin.pool.${pool.period}`, {
    remaining: pool.remaining,
    limit: pool.limit,
    resetsIn: pool.resetsIn,
  });
}

function budgetLine(view: SettingsView, period: 'day' | 'month', t: Translator): string {
  const key = period === 'day' ? 'daily' : 'monthly';
  const limit = view.budget[key];
  const name = t(`playground.admin.budget.${period}`);
  if (limit === undefined) return t('playground.admin.budget.noCap', { name });
  const source =
    view.budgetSource[key] === 'server'
      ? t('playground.admin.budget.setHere')
      : t('playground.admin.budget.operatorDefault', {
          variable: `SERVER_${key.toUpperCase()}_CREDITS`,
        });
  const pool = view.pools.find((candidate) => candidate.period === period);
  const use = pool
    ? t('playground.admin.budget.use', {
        used: pool.used,
        remaining: pool.remaining,
        resetsIn: pool.resetsIn,
      })
    : '';
  return t('playground.admin.budget.line', {
    name,
    credits: t('playground.admin.credits', { count: limit }),
    source,
    use,
  });
}

function channelsLine(view: SettingsView, t: Translator, locale: Locale): string {
  const { mode, ids } = view.settings.channels;
  const names = ids.map((id) => channelShown(id, locale)).join(', ');
  if (mode === 'allow')
    return ids.length > 0
      ? t('playground.admin.channels.only', { names })
      : t('playground.admin.channels.none');
  if (mode === 'deny' && ids.length > 0) return t('playground.admin.channels.allBut', { names });
  return t('playground.admin.channels.all');
}

function blocklistLine(view: SettingsView, t: Translator): string {
  const own = view.settings.blocklist;
  const shared = view.sharedBlocklistSize;
  const entries =
    own.length > 0
      ? t('playground.admin.blocklist.entries', { count: own.length, entries: codeList(own) })
      : t('playground.admin.blocklist.empty');
  const fromFile = shared > 0 ? t('playground.admin.blocklist.shared', { count: shared }) : '';
  return t('playground.admin.blocklist.line', { entries, shared: fromFile });
}

/** What an admin just changed, in a few words, so the card says it was saved. */
function changeLine(change: SettingsChange, t: Translator, locale: Locale): string {
  if ('budget' in change) {
    const [[period, value]] = Object.entries(change.budget) as [[string, number | null]];
    const which = period === 'monthly' ? 'month' : 'day';
    return value === null
      ? t(`playground.admin.saved.budgetDefault.${which}`)
      : t(`playground.admin.saved.budget.${which}`, {
          credits: t('playground.admin.credits', { count: value }),
        });
  }
  if ('channels' in change) return t('playground.admin.saved.channels');
  if ('dms' in change)
    return t(
      change.dms ? 'playground.admin.saved.dmsAllowed' : 'playground.admin.saved.dmsRefused',
    );
  if ('blocklist' in change) {
    const added = change.blocklist.add ?? [];
    return added.length > 0
      ? t('playground.admin.saved.blocked', { entries: codeList(added) })
      : t('playground.admin.saved.unblocked', {
          entries: codeList(change.blocklist.remove ?? []),
        });
  }
  if ('auditChannel' in change)
    return change.auditChannel === null
      ? t('playground.admin.saved.auditOff')
      : t('playground.admin.saved.auditOn', {
          channel: channelShown(change.auditChannel, locale),
        });
  return t('playground.admin.saved');
}

/** The server's settings as the moderator sees them (the playground has no DMs and no roles). */
export function settingsNotice(view: SettingsView, locale: Locale): Notice {
  const t = translator(locale);
  const audit = view.settings.auditChannel;
  return info([
    view.changed ? changeLine(view.changed, t, locale) : t('playground.admin.settings.title'),
    budgetLine(view, 'day', t),
    budgetLine(view, 'month', t),
    channelsLine(view, t, locale),
    blocklistLine(view, t),
    t('playground.admin.settings.audit', {
      channel: audit ? channelShown(audit, locale) : t('playground.admin.settings.auditNone'),
    }),
    t('playground.admin.settings.howTo'),
  ]);
}

function failureRate(rate: number | null, t: Translator): string {
  return rate === null
    ? t('playground.admin.usage.noneFinished')
    : t('playground.admin.usage.failedRate', { percent: Math.round(rate * 1000) / 10 });
}

function periodLine(
  label: string,
  period: UsageReportView['report']['today'],
  t: Translator,
): string {
  return t('playground.admin.usage.period', {
    label,
    credits: t('playground.admin.credits', { count: period.credits }),
    generations: t('playground.admin.generations', { count: period.generations }),
    succeeded: period.succeeded,
    failed: period.failed,
    refused: period.refused,
    rate: failureRate(period.failureRate, t),
  });
}

/** The usage report: the figures, then the chart as a picture whose text says what it shows. */
export function usageNotice(view: UsageReportView, keep: KeepFile, locale: Locale): Notice {
  const t = translator(locale);
  const { report } = view;
  const last30 = report.last30Days;
  const top = (rows: typeof last30.byUser, name: (key: string, shown: string) => string) =>
    formatList(
      rows
        .slice(0, 5)
        .map(
          (row) =>
            `${name(row.key, row.name)} ${t('playground.admin.credits', { count: row.credits })}`,
        ),
      locale,
    ) || t('playground.admin.usage.nobody');
  return info(
    [
      t('playground.admin.usage.title'),
      periodLine(t('playground.admin.usage.today'), report.today, t),
      periodLine(t('playground.admin.usage.month'), report.month, t),
      periodLine(t('playground.admin.usage.last30'), last30, t),
      t('playground.admin.usage.topPeople', { list: top(last30.byUser, (_key, shown) => shown) }),
      t('playground.admin.usage.byChannel', {
        list: top(last30.byChannel, (key) => channelShown(key, locale)),
      }),
      t('playground.admin.usage.now', { count: view.generatingNow }),
      ...(view.chartCaption ? [view.chartCaption] : []),
    ],
    {
      image: {
        url: keep(view.chart),
        alt: t('playground.admin.usage.chartAlt', {
          credits: t('playground.admin.credits', { count: last30.credits }),
        }),
      },
    },
  );
}

/** The audit export: how many records, and the file to save. */
export function exportNotice(view: ExportView, keep: KeepFile, locale: Locale): Notice {
  const t = translator(locale);
  return info(
    [
      view.records > 0
        ? t('playground.admin.export.records', { count: view.records })
        : t('playground.admin.export.empty'),
    ],
    {
      download: {
        url: keep(view.file),
        name: view.file.name,
        label: t('playground.admin.export.download', { name: view.file.name }),
      },
    },
  );
}
