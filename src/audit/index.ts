/**
 * The audit trail and what admins read from it: usage numbers, the usage chart (PNG) and the CSV
 * export. Platform-free: the conversation records events and hands the files to the platforms.
 */
import { translate, type Locale } from '../i18n/index.js';
import type { AuditLog } from './audit-log.js';
import { auditCsv } from './csv.js';
import { chartSpeaks, usageChart } from './chart.js';
import { summariseUsage, usageWindowStart, type UsageReport } from './usage.js';

export { AuditLog, type AuditLogOptions } from './audit-log.js';
export { auditCsv, csvField, CSV_COLUMNS } from './csv.js';
export type { AuditEvent, AuditOutcome } from './events.js';
export { finishedEvent, type AuditPlace } from './from-job.js';
export { usageChart, chartSpeaks, CHART_HEIGHT, CHART_WIDTH } from './chart.js';
export {
  summariseUsage,
  usageWindowStart,
  USAGE_DAYS,
  type DailyCredits,
  type PeriodUsage,
  type UsageReport,
  type UsageRow,
} from './usage.js';

/** A workspace's usage at `now`, with its chart (titled in `locale` where it can be), ready for an admin's answer. */
export async function readUsage(
  audit: AuditLog,
  workspaceId: string | undefined,
  now: number,
  locale: Locale = 'en',
): Promise<{ report: UsageReport; chart: Buffer; chartCaption?: string }> {
  const events = await audit.query(workspaceId, usageWindowStart(now), now + 1);
  const report = summariseUsage(events, now);
  // The chart's font has Latin letters only: in another script, what it shows is said beside it.
  const chartCaption = chartSpeaks(locale) ? undefined : translate(locale, 'audit.chart.caption');
  return { report, chart: usageChart(report, locale), ...(chartCaption ? { chartCaption } : {}) };
}

/** Every event the workspace still has (JOB_RETENTION_DAYS), as a CSV file's text. */
export async function exportAuditCsv(
  audit: AuditLog,
  workspaceId: string | undefined,
  now: number,
): Promise<string> {
  return auditCsv(await audit.query(workspaceId, 0, now + 1));
}
