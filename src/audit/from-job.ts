import type { JobRecord } from '../core/types.js';
import { supportedLocaleOf } from '../i18n/index.js';
import type { AuditEvent } from './events.js';

/** Where a generation happened, as the platform adapter knows it (job records keep only a target). */
export interface AuditPlace {
  workspaceId?: string;
  channelId?: string;
}

/**
 * The `finished` audit event of a job that reached a terminal state, or null while it is still
 * running. `failCode` is the API's failCode when it gave one, else our catalogued code.
 */
export function finishedEvent(job: JobRecord, place: AuditPlace): AuditEvent | null {
  if (!job.outcome) return null;
  const event: AuditEvent = {
    ...placeFields(place),
    at: job.finishedAt ?? job.updatedAt,
    outcome: job.outcome.kind === 'success' ? 'succeeded' : 'failed',
    userKey: job.user.key,
    userName: job.user.displayName,
    prompt: job.prompt,
    options: job.options,
    sources: (job.sources ?? []).map((source) => source.name),
    cost: job.cost,
    requestId: job.requestId,
  };
  if (job.taskId) event.taskId = job.taskId;
  const placeLocale = supportedLocaleOf(job.placeLocale);
  if (placeLocale) event.placeLocale = placeLocale;
  if (job.outcome.kind === 'failure') event.failCode = job.outcome.failCode || job.outcome.code;
  return event;
}

function placeFields(place: AuditPlace): AuditPlace {
  const fields: AuditPlace = {};
  if (place.workspaceId !== undefined) fields.workspaceId = place.workspaceId;
  if (place.channelId !== undefined) fields.channelId = place.channelId;
  return fields;
}
