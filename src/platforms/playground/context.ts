import type { Conversation, Intent } from '../../conversation/index.js';
import type { Locale } from '../../i18n/index.js';
import type { ImageFetcher } from '../../core/images.js';
import type { AttachedFiles } from './attached-files.js';
import type { Logger } from '../../log.js';
import type { ImageShelf } from './image-shelf.js';
import type { ChatRoom } from './room.js';
import type { UploadShelf } from './uploads.js';

/** What the routes, the Answer and the Delivery of the playground work with. */
export interface PlaygroundContext {
  conversation: Conversation;
  room: ChatRoom;
  images: ImageShelf;
  /** The admin's charts and exports, served to the card that links them. */
  files: AttachedFiles;
  /** Images attached or pasted on the page, until a message sends them. */
  uploads: UploadShelf;
  /** The uploads each sent message started from (request id → upload ids), for the card's thumbnails. */
  sentUploads: Map<string, string[]>;
  /** Edit forms and picks sent (request id → what they asked), so a resend asks the same again. */
  sentSteps: Map<string, Intent>;
  /** Fetches results (the bot's one fetcher, with its trusted hosts). */
  fetcher: ImageFetcher;
  logger: Logger;
  /** The image API is the built-in simulator: every card and the page say so. */
  simulated: boolean;
  /** A page that names no language the bot speaks is answered in this one (DEFAULT_LOCALE). */
  defaultLocale: Locale;
}
