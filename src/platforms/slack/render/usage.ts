import type { AuditEvent, PeriodUsage, UsageRow } from '../../../audit/index.js';
import type { ExportView, UsageReportView } from '../../../conversation/index.js';
import { translate, translator, type Locale } from '../../../i18n/index.js';
import { optionsLine } from '../../view-text.js';
import { userIdOfKey } from '../target.js';
import type { SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, slackDate, userText } from './text.js';

/** Rows per top list: enough to see who spends, short enough for a glance. */
const TOP_ROWS = 10;

function credits(count: number, locale: Locale = 'en'): string {
  return translate(locale, 'slack.credits', { count });
}

function rate(period: PeriodUsage, locale: Locale): string {
  return period.failureRate === null
    ? translate(locale, 'slack.usage.noFinished')
    : translate(locale, 'slack.usage.failureRate', {
        percent: Math.round(period.failureRate * 100),
      });
}

/** "*Today*: 12 credits · 8 generations (7 succeeded, 1 failed) · 2 refused · failure rate 13%" */
export function periodLine(label: string, period: PeriodUsage, locale: Locale = 'en'): string {
  return translate(locale, 'slack.usage.period', {
    label,
    credits: credits(period.credits, locale),
    count: period.generations,
    succeeded: period.succeeded,
    failed: period.failed,
    refused: period.refused,
    rate: rate(period, locale),
  });
}

/** A person by mention (the admin's own answer, where it notifies nobody), else their name. */
function who(row: Pick<UsageRow, 'key' | 'name'>): string {
  const id = userIdOfKey(row.key);
  return id ? `<@${id}>` : escapeMrkdwn(row.name);
}

function where(channelId: string, locale: Locale): string {
  return channelId === '' ? translate(locale, 'slack.usage.directMessages') : `<#${channelId}>`;
}

function rows(list: readonly UsageRow[], name: (row: UsageRow) => string, locale: Locale): string {
  if (list.length === 0) return translate(locale, 'slack.usage.nobody');
  const shown = list.slice(0, TOP_ROWS).map((row) =>
    translate(locale, 'slack.usage.row', {
      name: name(row),
      credits: credits(row.credits, locale),
      count: row.generations,
    }),
  );
  const more = list.length - TOP_ROWS;
  const tail = more > 0 ? ` · ${translate(locale, 'slack.usage.more', { count: more })}` : '';
  return `${shown.join(' · ')}${tail}`;
}

/** The workspace's usage as numbers; the chart goes to the admin's DM as a file (see SlackAnswer). */
export function usageReportMessage(
  view: UsageReportView,
  fileNote: string,
  locale: Locale = 'en',
): SlackMessage {
  const { report } = view;
  const t = translator(locale);
  const lines = [
    periodLine(t('slack.usage.today'), report.today, locale),
    periodLine(t('slack.usage.month'), report.month, locale),
    periodLine(t('slack.usage.last30'), report.last30Days, locale),
    t('slack.usage.byPerson', { rows: rows(report.last30Days.byUser, who, locale) }),
    t('slack.usage.byChannel', {
      rows: rows(report.last30Days.byChannel, (row) => where(row.key, locale), locale),
    }),
    t('slack.usage.generatingNow', { count: view.generatingNow }),
  ];
  return {
    text: t('slack.usage.text', { credits: credits(report.last30Days.credits, locale) }),
    blocks: [
      { type: 'header', text: plain(t('slack.usage.title')) },
      { type: 'section', text: userText(lines.join('\n')) },
      {
        type: 'context',
        elements: [mrkdwn(fileNote), ...(view.chartCaption ? [mrkdwn(view.chartCaption)] : [])],
      },
    ],
  };
}

export function exportMessage(
  view: ExportView,
  fileNote: string,
  locale: Locale = 'en',
): SlackMessage {
  const text = translate(locale, 'slack.usage.exported', {
    count: view.records,
    name: view.file.name,
    note: fileNote,
  });
  return { text, blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(text)) }] };
}

/** The message a file comes with in the DM. */
export function fileCaption(name: string, at: number, locale: Locale = 'en'): SlackMessage {
  const text = translate(locale, 'slack.file.caption', {
    name: escapeMrkdwn(name),
    when: slackDate(at, locale),
  });
  return { text: `${name}`, blocks: [{ type: 'context', elements: [mrkdwn(text)] }] };
}

/**
 * One generation in the audit channel: outcome, who (by name: a mention would notify them), where,
 * cost, options, why (the failure's code, the refusal's reason and, for admins, the blocking rule),
 * and the prompt, shortened and escaped so it can notify nobody either. It is read by the
 * workspace's admins: in the workspace's language (the job's placeLocale, else DEFAULT_LOCALE).
 */
export function auditLine(event: AuditEvent, workspaceLocale: Locale = 'en'): SlackMessage {
  const locale = event.placeLocale ?? workspaceLocale;
  const t = translator(locale);
  const why = [
    event.failCode ? t('slack.audit.code', { code: String(event.failCode) }) : undefined,
    event.reason ? t('slack.audit.reason', { reason: event.reason }) : undefined,
    event.rule ? t('slack.audit.rule', { rule: event.rule }) : undefined,
  ].filter(Boolean);
  const parts = [
    t(`slack.audit.${event.outcome}`),
    `${escapeMrkdwn(event.userName)} (${userIdOfKey(event.userKey) ?? escapeMrkdwn(event.userKey)})`,
    event.channelId
      ? t('slack.audit.inChannel', { channel: `<#${event.channelId}>` })
      : t('slack.audit.inDm'),
    credits(event.cost, locale),
    optionsLine(event.options),
    ...why.map((text) => escapeMrkdwn(text!)),
  ];
  const line = `${parts.join(' · ')} — ${promptText(event.prompt.replace(/\s+/g, ' '), 200)}`;
  return { text: line, blocks: [{ type: 'section', text: userText(line) }] };
}
