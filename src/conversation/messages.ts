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
    "Usage: `/imagine admin credits @user 50` sets that person's daily credits (a whole number, 0 or more).",
  server_only: () => 'This command works only inside a server, not in direct messages.',
  nothing_to_share: () =>
    'Only finished images can be shared. Wait for the result, then share again.',
  share_not_allowed: (p: { channelId: string }) =>
    `You can't post in that channel (${p.channelId}), so the image can't be shared there. Pick a channel where you can post.`,
  share_cannot_post: (p: { channelId: string }) =>
    `I can't post in that channel (${p.channelId}). Ask an admin to let me post there, or pick another channel.`,
  share_image_unavailable: () =>
    'That image can no longer be fetched from the image service, so it cannot be shared. Press Reroll to make a new one.',
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
