import type { PlatformProfile } from '../../conversation/index.js';
import { slackUserError } from './slack-errors.js';
import { SLACK_PLATFORM, slackUserKey } from './target.js';
import { slackWording } from './wording.js';

/** Slack escapes a mention typed into a command as `<@U123|name>` (the manifest asks it to). */
const MENTION = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i;
/** A channel picked while typing arrives as `<#C123|name>` (`<#C123>` or `<#C123|>` too). */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;
/** A channel id pasted as is (Copy channel ID in the channel's details). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** What the conversation needs to know about Slack: its words, its mentions, its refusals. */
export const slackProfile: PlatformProfile = {
  platform: SLACK_PLATFORM,
  wording: slackWording,
  parsePerson(token, place) {
    const userId = MENTION.exec(token)?.[1];
    if (!userId || !place.workspaceId) return undefined;
    return { key: slackUserKey(place.workspaceId, userId), id: userId };
  },
  parseChannel(token) {
    const mentioned = CHANNEL_MENTION.exec(token)?.[1];
    if (mentioned) return mentioned;
    return CHANNEL_ID.test(token) ? token : undefined;
  },
  userErrorOf: slackUserError,
};
