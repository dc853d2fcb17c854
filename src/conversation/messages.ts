import { UserError } from '../core/errors.js';
import { registerCatalogue, type Catalogue, type ParamsOf } from '../core/messages.js';

/**
 * What the conversation itself refuses, in neutral words. A platform that names things its own
 * way (Manage Messages, workspace admins) gives its wording for a code; see PlatformWording.
 */
export const conversationMessages = {
  generation_not_found: () =>
    'I no longer have the details of that image, so I cannot do that. Start a new one with `/imagine`.',
  not_allowed_to_delete: () =>
    'Only the person who asked for this image, or a moderator, can delete it.',
  admin_only: () => 'Only admins can use the admin commands.',
  admin_usage: () =>
    [
      "Usage: `/imagine admin credits @user 50` sets that person's daily credits (a whole number, 0 or more). The other admin commands:",
      '`/imagine admin settings`: show this server’s settings',
      '`/imagine admin budget daily 500` or `budget monthly 10000`: cap the server’s credits (`default` goes back to the operator’s cap)',
      '`/imagine admin channels allow #art #bots`, `channels deny #general`, `channels all`: where images can be made',
      '`/imagine admin dms off` (or `on`): whether direct messages with the bot can make images',
      '`/imagine admin blocklist add <word or re:pattern>`, `blocklist remove <entry>`: block prompts',
      '`/imagine admin usage` (or `usage @user`), `export`: who spent what, as numbers, a chart and a CSV file',
      '`/imagine admin audit-channel #channel` (or `off`): post a line there for each image',
    ].join('\n'),
  server_only: () => 'This command works only inside a server, not in direct messages.',
  nothing_to_share: () =>
    'Only finished images can be shared. Wait for the result, then share again.',
  share_not_allowed: (p: { channelId: string }) =>
    `You can't post in that channel (${p.channelId}), so the image can't be shared there. Pick a channel where you can post.`,
  share_cannot_post: (p: { channelId: string }) =>
    `I can't post in that channel (${p.channelId}). Ask an admin to let me post there, or pick another channel.`,
  share_image_unavailable: () =>
    'That image can no longer be fetched from the image service, so it cannot be shared. Press Reroll to make a new one.',
  too_many_sources: (p: { given: number; max: number }) =>
    `You gave ${p.given} images, but an edit can start from at most ${p.max}. Use fewer and try again.`,
  source_not_image: (p: { name: string }) =>
    `"${p.name}" is not an image. Use a PNG, JPEG or WEBP image and try again.`,
  source_too_large: (p: { name: string; maxMb: number }) =>
    `"${p.name}" is larger than ${p.maxMb} MB, the most the image service accepts. Use a smaller image and try again.`,
  source_not_https: (p: { url: string }) =>
    `The image link ${p.url} does not start with https://, and the image service fetches only https links. Use an https link to the image.`,
  source_unreachable: (p: { name: string; reason: string }) =>
    `I could not fetch the image "${p.name}" (${p.reason}). Check that the link opens the image for anyone, then try again.`,
  sources_not_set_up: () =>
    'Editing images uploaded here is not set up on this bot yet: its operator has to set PUBLIC_URL. Meanwhile you can edit an image from a public https link.',
  no_image_on_message: () =>
    'That message has no image to edit. Use "Edit image" on a message with a PNG, JPEG or WEBP image.',
  edit_draft_expired: () =>
    'That edit was not finished in time and has expired. Use "Edit image" on the message again.',
  not_your_edit: () => 'Only the person who started this edit can finish it.',
  nothing_to_edit: () =>
    'Only finished images can be edited, varied or upscaled. Wait for the result, then try again.',
  result_image_gone: () =>
    'That image can no longer be fetched from the image service, so it cannot be edited, varied or upscaled. Press Reroll to make a new one.',
  already_largest: () =>
    'This image is already 4K, the largest size there is. Use Edit or Vary to change it instead.',
  channel_not_allowed: (p: { channelIds: readonly string[] }) =>
    p.channelIds.length > 0
      ? `Image generation is not enabled in this channel. Use it in one of these channels: ${p.channelIds.join(', ')}.`
      : 'Image generation is turned off in this channel. Use it in another channel of this server.',
  no_channel_allowed: () =>
    'Image generation is not enabled in any channel of this server right now. Ask an admin to allow a channel.',
  dms_not_allowed: () =>
    'Image generation is not available in direct messages here. Use it in a channel of the server.',
  role_not_allowed: (p: { roleIds: readonly string[] }) =>
    `Only members with one of these roles can generate images here: ${p.roleIds.join(', ')}. Ask an admin for one of them.`,
  prompt_blocked: () =>
    'A rule of this server blocks that prompt, so no image was made and no credits were used. Reword it and try again.',
  prompt_blocked_by_bot: () =>
    "A rule of this bot's operator blocks that prompt, so no image was made and no credits were used. Reword it and try again.",
  blocklist_entry_invalid: (p: { entry: string; reason: string }) =>
    `The blocklist entry "${p.entry}" was not saved: ${p.reason}. Fix it and try again.`,
  settings_list_too_long: (p: { list: string; max: number }) =>
    `The ${p.list} list can hold at most ${p.max} entries. Remove some and try again.`,
  settings_credits_invalid: (p: { setting: string; value: number }) =>
    `${p.value} is not a valid ${p.setting}: use a whole number of credits, 0 or more.`,
  admin_option_missing: (p: { option: string }) =>
    `That admin command needs "${p.option}" too. Fill it in and try again.`,
  settings_id_invalid: (p: { id: string }) =>
    `"${p.id}" is not a channel or role id. Pick the channel or role from the list and try again.`,
  unknown_command: (p: { typed: string }) =>
    `"${p.typed}" is not a command here. Type \`/imagine\` and a prompt (e.g. \`/imagine a red fox\`), or \`/imagine help\` to see everything.`,
} satisfies Catalogue;

registerCatalogue(conversationMessages);

export type ConversationCode = keyof typeof conversationMessages;

/** A refusal of the conversation layer, typed against its catalogue. */
export function refusal<C extends ConversationCode>(
  code: C,
  ...params: ParamsOf<typeof conversationMessages, C> extends Record<string, never>
    ? []
    : [ParamsOf<typeof conversationMessages, C>]
): UserError<C> {
  const make = UserError as new (code: C, params?: Record<string, unknown>) => UserError<C>;
  return new make(code, params[0]);
}
