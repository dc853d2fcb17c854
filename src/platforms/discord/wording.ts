import type { PlatformWording } from '../../conversation/index.js';

/**
 * Discord's own words for some of the conversation's refusals: its permission names, its
 * commands, and channels as `<#id>` mentions (which show the channel's name).
 */
export const discordWording: PlatformWording = {
  not_allowed_to_delete: () =>
    'Only the person who asked for this image, or someone with Manage Messages in this channel, can delete it.',
  admin_only: () => 'Only members with the Manage Server permission can use `/imagine-admin`.',
  share_not_allowed: (p: { channelId: string }) =>
    `You can't send messages in <#${p.channelId}>, so the image can't be shared there. Pick a channel where you can post.`,
  share_cannot_post: (p: { channelId: string }) =>
    `I can't post in <#${p.channelId}>. Ask a server admin to let me send messages there, or pick another channel.`,
  nothing_to_share: () =>
    'Only finished images can be shared. Wait for the result, then press Share again.',
};
