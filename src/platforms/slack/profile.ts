import type { PlatformProfile } from '../../conversation/index.js';
import { slackUserError } from './slack-errors.js';
import { SLACK_PLATFORM, slackUserKey } from './target.js';
import { slackWording } from './wording.js';

/** Slack escapes a mention typed into a command as `<@U123|name>` (the manifest asks it to). */
const MENTION = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i;

/** What the conversation needs to know about Slack: its words, its mentions, its refusals. */
export const slackProfile: PlatformProfile = {
  platform: SLACK_PLATFORM,
  wording: slackWording,
  parsePerson(token, place) {
    const userId = MENTION.exec(token)?.[1];
    if (!userId || !place.workspaceId) return undefined;
    return { key: slackUserKey(place.workspaceId, userId), id: userId };
  },
  userErrorOf: slackUserError,
};
