import type { GenerationService } from '../../core/generation-service.js';
import type { Logger } from '../../log.js';
import type { ImageShelf } from './image-shelf.js';
import type { ChatRoom } from './room.js';

/** What every playground command and button handler works with. */
export interface PlaygroundContext {
  service: GenerationService;
  room: ChatRoom;
  images: ImageShelf;
  logger: Logger;
  /** The image API is the built-in simulator: every card and the page say so. */
  simulated: boolean;
  /** Request ids being started right now, so a double submit posts one card. */
  startsInFlight: Set<string>;
}
