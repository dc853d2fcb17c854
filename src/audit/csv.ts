import type { AuditEvent } from './events.js';

/** The export's columns, in order; options and sources are JSON so they read back exactly. */
export const CSV_COLUMNS = [
  'time',
  'outcome',
  'workspace',
  'channel',
  'user',
  'user_name',
  'prompt',
  'options',
  'sources',
  'cost',
  'request_id',
  'task_id',
  'fail_code',
  'reason',
  'rule',
] as const;

/**
 * Text a spreadsheet would run as a formula (or a field already starting with an apostrophe, so
 * the one we add stays unambiguous to strip).
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/** The audit events as an RFC 4180 CSV file (CRLF line ends, a header row). */
export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = [CSV_COLUMNS.map(csvField)];
  for (const event of events) {
    rows.push(
      [
        new Date(event.at).toISOString(),
        event.outcome,
        event.workspaceId ?? '',
        event.channelId ?? '',
        event.userKey,
        event.userName,
        event.prompt,
        JSON.stringify(event.options),
        JSON.stringify(event.sources),
        String(event.cost),
        event.requestId,
        event.taskId ?? '',
        event.failCode ?? '',
        event.reason ?? '',
        event.rule ?? '',
      ].map(csvField),
    );
  }
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}

/**
 * One field: an apostrophe before anything a spreadsheet would evaluate (so an exported prompt can
 * never run as a formula), then quoted when it holds a comma, a quote or a line break.
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
