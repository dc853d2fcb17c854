import type { PlatformWording } from '../../conversation/index.js';

/** The playground's own words for some of the conversation's refusals. */
export const playgroundWording: PlatformWording = {
  // A shared copy is the sharer's to take down too, and the page shows who shared it.
  not_allowed_to_delete: () =>
    'Only the person who asked for this image (or shared this copy), or a moderator, can delete it.',
  // The pretend server's admins are its moderators.
  admin_only: () => 'Only moderators can use the admin commands.',
};
