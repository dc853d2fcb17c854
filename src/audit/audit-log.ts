import type { Clock } from '../core/clock.js';
import type { Store, TimeLog } from '../core/store.js';
import type { AuditEvent } from './events.js';

const DAY_MS = 86_400_000;
/** The stream of events that happened outside any server or workspace (direct messages). */
const NO_WORKSPACE = 'direct';

export interface AuditLogOptions {
  store: Pick<Store, 'timeLog'>;
  /** JOB_RETENTION_DAYS: events older than this are neither kept nor reported. */
  retentionDays: number;
  clock?: Pick<Clock, 'now'>;
  /** Told of each event once, when first saved (metrics: spend and refusals by reason). */
  observe?: (event: AuditEvent) => void;
}

/**
 * The audit trail: every accepted, refused and finished generation, one stream per workspace,
 * shared by every replica through the store.
 */
export class AuditLog {
  private readonly log: TimeLog<AuditEvent>;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private readonly observe: ((event: AuditEvent) => void) | undefined;

  constructor(options: AuditLogOptions) {
    this.log = options.store.timeLog<AuditEvent>('audit');
    this.retentionMs = options.retentionDays * DAY_MS;
    const clock = options.clock;
    this.now = clock ? () => clock.now() : Date.now;
    this.observe = options.observe;
  }

  /**
   * Saves one event. Recording the same outcome of the same request again (a redelivered
   * interaction, a job resumed by another replica) replaces the first record instead of adding one.
   * Rejects when the store fails; callers log that rather than refuse the person's request.
   */
  async record(event: AuditEvent): Promise<void> {
    const id = `${event.requestId}:${event.outcome}`;
    // Kept for the retention period counted from the event, however late it is written.
    const ttlMs = event.at + this.retentionMs - this.now();
    if (ttlMs <= 0) return;
    const added = await this.log.append(
      streamOf(event.workspaceId),
      { at: event.at, id, value: event },
      ttlMs,
    );
    if (added) this.observe?.(event);
  }

  /** A workspace's events with `from <= at < to`, oldest first; nothing older than the retention period. */
  query(workspaceId: string | undefined, from: number, to: number): Promise<AuditEvent[]> {
    const oldestKept = this.now() - this.retentionMs;
    return this.log.range(streamOf(workspaceId), Math.max(from, oldestKept), to);
  }
}

function streamOf(workspaceId: string | undefined): string {
  return workspaceId === undefined ? NO_WORKSPACE : `workspace:${workspaceId}`;
}
