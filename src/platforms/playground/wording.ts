import { conversationMessages, type PlatformWording } from '../../conversation/index.js';
import { channelShown } from './admin-notices.js';

/** The playground's own words for some of the conversation's refusals. */
export const playgroundWording: PlatformWording = {
  // A shared copy is the sharer's to take down too, and the page shows who shared it.
  not_allowed_to_delete: () =>
    'Only the person who asked for this image (or shared this copy), or a moderator, can delete it.',
  // The pretend server's admins are its moderators.
  admin_only: () => 'Only moderators can use the admin commands.',
  // Channels as the page names them (#general), not their ids.
  channel_not_allowed: (p: { channelIds: readonly string[] }) =>
    conversationMessages.channel_not_allowed({ channelIds: p.channelIds.map(channelShown) }),
};
