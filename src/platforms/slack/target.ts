import type { DeliveryTarget, JobRecord, UserRef } from '../../core/types.js';
import { supportedLocaleOf, type Locale } from '../../i18n/index.js';

export const SLACK_PLATFORM = 'slack';

/**
 * Where a Slack job's messages go. Stored inside the job record, so it must stay small, plain
 * JSON and enough on its own to deliver after a restart.
 */
export interface SlackTarget extends DeliveryTarget {
  platform: typeof SLACK_PLATFORM;
  teamId: string;
  /** The conversation the command came from (C…, G… or D…). */
  channelId: string;
  /** The status message being edited; absent for private (ephemeral) jobs. */
  statusTs?: string;
  /** Started inside a thread: the status and the result are replies in it (`thread_ts`). */
  threadTs?: string;
  /** Slack's response_url for this command: 5 uses within 30 minutes of `responseUrlIssuedAt`. */
  responseUrl?: string;
  responseUrlIssuedAt?: number;
  userId: string;
  /** Only the requester sees the result: it goes to their DM with the bot and an ephemeral note. */
  ephemeral: boolean;
  /** Why a public request became private, shown to the requester (e.g. how to invite the bot). */
  notice?: string;
  /** The requester's language, resolved when they asked: the job speaks it even after a restart. */
  locale?: Locale;
}

/** The language a job's messages speak: the requester's (English for jobs older than languages). */
export function localeOfJob(job: Pick<JobRecord, 'locale'>, target: SlackTarget): Locale {
  return supportedLocaleOf(target.locale) ?? supportedLocaleOf(job.locale) ?? 'en';
}

export function isSlackTarget(target: DeliveryTarget): target is SlackTarget {
  return (
    target.platform === SLACK_PLATFORM &&
    typeof target.teamId === 'string' &&
    typeof target.channelId === 'string'
  );
}

/** Quotas are per person per workspace: the same person in two workspaces has two allowances. */
export function slackUserKey(teamId: string, userId: string): string {
  return `slack:${teamId}:${userId}`;
}

export function slackUser(teamId: string, userId: string, name?: string): UserRef {
  return { key: slackUserKey(teamId, userId), displayName: name ?? `<@${userId}>` };
}

/** The Slack user id inside a user key, for "requested by" mentions. */
export function userIdOfKey(key: string): string | undefined {
  const match = /^slack:[^:]+:([A-Z0-9]+)$/i.exec(key);
  return match?.[1];
}
