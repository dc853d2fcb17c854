import type { AuditEvent } from '../audit/index.js';
import type { Logger } from '../core/logger.js';
import type { WorkspaceSettingsService } from './settings/index.js';

/** How a platform posts one audit line in a channel of its own (rendering is the platform's). */
export type AuditLinePoster = (channelId: string, event: AuditEvent) => Promise<void>;

/**
 * Posts each generation's end (succeeded, failed) and each refusal as one line in its server's
 * audit channel, when its admins chose one. Fed by the audit log's once-per-event hook, so one
 * replica posts each line; a post that fails is logged and never holds up a generation.
 */
export class AuditChannelFeed {
  private readonly posters = new Map<string, AuditLinePoster>();

  constructor(
    private readonly settings: WorkspaceSettingsService,
    private readonly logger: Logger,
  ) {}

  /** A platform's way to post; `platform` is the prefix of its workspace keys (`discord`). */
  register(platform: string, post: AuditLinePoster): void {
    this.posters.set(platform, post);
  }

  publish(event: AuditEvent): void {
    // Accepted generations are posted when they end: one line per generation, not two.
    if (event.outcome === 'accepted' || event.workspaceId === undefined) return;
    const workspace = event.workspaceId;
    const post = this.posters.get(workspace.slice(0, workspace.indexOf(':')));
    if (!post) return;
    void this.settings
      .get(workspace)
      .then((settings) =>
        settings.auditChannel === undefined ? undefined : post(settings.auditChannel, event),
      )
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, workspace, requestId: event.requestId },
          'audit line not posted in the audit channel; check the bot may post there',
        ),
      );
  }
}
