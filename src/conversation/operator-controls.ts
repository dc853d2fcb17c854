import { AuditLog, type AuditEvent } from '../audit/index.js';
import type { ServerBudget } from '../core/budget-pools.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store.js';
import { AuditChannelFeed } from './audit-feed.js';
import type { OperatorControls } from './context.js';
import { WorkspaceSettingsService } from './settings/index.js';

export interface OperatorControlsOptions {
  store: Store;
  logger: Logger;
  /** JOB_RETENTION_DAYS: how long audit records are kept. */
  retentionDays: number;
  /** SERVER_DAILY_CREDITS / SERVER_MONTHLY_CREDITS. */
  defaultBudget: ServerBudget;
  /** PROMPT_BLOCKLIST_FILE's entries (see readBlocklistFile). */
  sharedBlocklist?: readonly string[];
  /** Told of each audit event once (metrics). */
  observe?: (event: AuditEvent) => void;
  clock?: Pick<Clock, 'now'>;
}

/** Builds what operators and admins control, once, for every adapter. */
export function createOperatorControls(options: OperatorControlsOptions): OperatorControls {
  const settings = WorkspaceSettingsService.fromStore(options.store);
  const auditFeed = new AuditChannelFeed(settings, options.logger);
  const audit = new AuditLog({
    store: options.store,
    retentionDays: options.retentionDays,
    ...(options.clock ? { clock: options.clock } : {}),
    observe: (event) => {
      options.observe?.(event);
      auditFeed.publish(event);
    },
  });
  return {
    settings,
    audit,
    auditFeed,
    defaultBudget: options.defaultBudget,
    sharedBlocklist: options.sharedBlocklist ?? [],
  };
}
