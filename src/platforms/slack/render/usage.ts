import type { AuditEvent, PeriodUsage, UsageRow } from '../../../audit/index.js';
import type { ExportView, UsageReportView } from '../../../conversation/index.js';
import { optionsLine } from '../../view-text.js';
import { userIdOfKey } from '../target.js';
import type { SlackMessage } from './job.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, slackDate, userText } from './text.js';

/** Rows per top list: enough to see who spends, short enough for a glance. */
const TOP_ROWS = 10;

function credits(count: number): string {
  return `${count} credit${count === 1 ? '' : 's'}`;
}

function rate(period: PeriodUsage): string {
  return period.failureRate === null
    ? 'no finished generations'
    : `failure rate ${Math.round(period.failureRate * 100)}%`;
}

/** "*Today*: 12 credits · 8 generations (7 succeeded, 1 failed) · 2 refused · failure rate 13%" */
export function periodLine(label: string, period: PeriodUsage): string {
  return `*${label}*: ${credits(period.credits)} · ${period.generations} generation${period.generations === 1 ? '' : 's'} (${period.succeeded} succeeded, ${period.failed} failed) · ${period.refused} refused · ${rate(period)}`;
}

/** A person by mention (the admin's own answer, where it notifies nobody), else their name. */
function who(row: Pick<UsageRow, 'key' | 'name'>): string {
  const id = userIdOfKey(row.key);
  return id ? `<@${id}>` : escapeMrkdwn(row.name);
}

function where(channelId: string): string {
  return channelId === '' ? 'direct messages' : `<#${channelId}>`;
}

function rows(list: readonly UsageRow[], name: (row: UsageRow) => string): string {
  if (list.length === 0) return 'nobody yet';
  const shown = list
    .slice(0, TOP_ROWS)
    .map((row) => `${name(row)} ${credits(row.credits)} (${row.generations} generated)`);
  const more = list.length - TOP_ROWS;
  return `${shown.join(' · ')}${more > 0 ? ` · and ${more} more` : ''}`;
}

/** The workspace's usage as numbers; the chart goes to the admin's DM as a file (see SlackAnswer). */
export function usageReportMessage(view: UsageReportView, fileNote: string): SlackMessage {
  const { report } = view;
  const lines = [
    periodLine('Today', report.today),
    periodLine('This month', report.month),
    periodLine('Last 30 days', report.last30Days),
    `*By person (30 days)*: ${rows(report.last30Days.byUser, who)}`,
    `*By channel (30 days)*: ${rows(report.last30Days.byChannel, (row) => where(row.key))}`,
    `Generating now: ${view.generatingNow}.`,
  ];
  return {
    text: `Usage in this workspace: ${credits(report.last30Days.credits)} in the last 30 days.`,
    blocks: [
      { type: 'header', text: plain('Usage in this workspace') },
      { type: 'section', text: userText(lines.join('\n')) },
      { type: 'context', elements: [mrkdwn(fileNote)] },
    ],
  };
}

export function exportMessage(view: ExportView, fileNote: string): SlackMessage {
  const text = `Exported ${view.records} audit record${view.records === 1 ? '' : 's'} as ${view.file.name}. ${fileNote}`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(text)) }] };
}

/** The message a file comes with in the DM. */
export function fileCaption(name: string, at: number): SlackMessage {
  const text = `${escapeMrkdwn(name)}, as of ${slackDate(at)}`;
  return { text: `${name}`, blocks: [{ type: 'context', elements: [mrkdwn(text)] }] };
}

const OUTCOME: Record<AuditEvent['outcome'], string> = {
  accepted: ':inbox_tray: accepted',
  refused: ':no_entry: refused',
  succeeded: ':white_check_mark: succeeded',
  failed: ':warning: failed',
};

/**
 * One generation in the audit channel: outcome, who (by name: a mention would notify them), where,
 * cost, options, why (the failure's code, the refusal's reason and, for admins, the blocking rule),
 * and the prompt, shortened and escaped so it can notify nobody either.
 */
export function auditLine(event: AuditEvent): SlackMessage {
  const why = [
    event.failCode ? `code ${event.failCode}` : undefined,
    event.reason ? `reason ${event.reason}` : undefined,
    event.rule ? `rule ${event.rule}` : undefined,
  ].filter(Boolean);
  const parts = [
    OUTCOME[event.outcome],
    `${escapeMrkdwn(event.userName)} (${userIdOfKey(event.userKey) ?? escapeMrkdwn(event.userKey)})`,
    event.channelId ? `in <#${event.channelId}>` : 'in a direct message',
    credits(event.cost),
    optionsLine(event.options),
    ...why.map((text) => escapeMrkdwn(text!)),
  ];
  const line = `${parts.join(' · ')} — ${promptText(event.prompt.replace(/\s+/g, ' '), 200)}`;
  return { text: line, blocks: [{ type: 'section', text: userText(line) }] };
}
