import type { PlatformWording } from '../../conversation/index.js';

/** Slack's own words for some of the conversation's refusals: it has workspace admins, not moderators. */
export const slackWording: PlatformWording = {
  not_allowed_to_delete: () =>
    'Only the person who asked for this image, or a workspace admin, can delete it.',
  admin_only: () => 'Only workspace admins and owners can change credits.',
  share_not_allowed: () =>
    "You're not a member of that channel, so the image can't be shared there. Join it first, or pick a channel you're in.",
};
