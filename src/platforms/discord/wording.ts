import type { PlatformWording } from '../../conversation/index.js';

/** Up to 20 mentions (`<#id>`, `<@&id>`), which show names and never ping; then how many more. */
function mentionList(ids: readonly string[], sigil: '#' | '@&'): string {
  const shown = ids.slice(0, 20).map((id) => `<${sigil}${id}>`);
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

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
  channel_not_allowed: (p: { channelIds: readonly string[] }) =>
    p.channelIds.length > 0
      ? `Image generation is not enabled in this channel. Use \`/imagine\` in ${p.channelIds.length === 1 ? '' : 'one of these channels: '}${mentionList(p.channelIds, '#')}.`
      : 'Image generation is turned off in this channel. Use `/imagine` in another channel of this server.',
  role_not_allowed: (p: { roleIds: readonly string[] }) =>
    p.roleIds.length === 1
      ? `Only members with the ${mentionList(p.roleIds, '@&')} role can generate images here. Ask a server admin for it.`
      : `Only members with one of these roles can generate images here: ${mentionList(p.roleIds, '@&')}. Ask a server admin for one of them.`,
  admin_option_missing: (p: { option: string }) =>
    `\`/imagine-admin blocklist\` needs an \`${p.option}\` to add or remove: a word, a phrase, or \`re:\` and a regular expression.`,
  nothing_to_share: () =>
    'Only finished images can be shared. Wait for the result, then press Share again.',
};
