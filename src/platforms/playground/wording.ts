import type { PlatformWording } from '../../conversation/index.js';
import { renderMessage } from '../../core/messages.js';
import { translate, type Locale } from '../../i18n/index.js';
import { channelShown } from './admin-notices.js';

/** The playground's own words for some of the conversation's refusals, in the reader's language. */
export const playgroundWording: PlatformWording = {
  // A shared copy is the sharer's to take down too, and the page shows who shared it.
  not_allowed_to_delete: (_params: unknown, locale: Locale = 'en') =>
    translate(locale, 'playground.error.not_allowed_to_delete'),
  // The pretend server's admins are its moderators.
  admin_only: (_params: unknown, locale: Locale = 'en') =>
    translate(locale, 'playground.error.admin_only'),
  // Channels as the page names them (#general), not their ids.
  channel_not_allowed: (p: { channelIds: readonly string[] }, locale: Locale = 'en') =>
    renderMessage(
      'channel_not_allowed',
      { channelIds: p.channelIds.map((id) => channelShown(id, locale)) },
      locale,
    ),
};
