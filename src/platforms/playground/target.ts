import type { DeliveryTarget } from '../../core/types.js';
import { PLAYGROUND_PLATFORM } from './paths.js';

/** Where a playground job's card lives; plain JSON, kept in the job record. */
export interface PlaygroundTarget extends DeliveryTarget {
  platform: typeof PLAYGROUND_PLATFORM;
  channelId: string;
  userId: string;
  /** The card edited from "Queued" into the image; re-created if the page state was lost. */
  messageId: string;
  /** Only the requester sees the card (`--private`). */
  private: boolean;
}

export function isPlaygroundTarget(target: DeliveryTarget): target is PlaygroundTarget {
  return (
    target.platform === PLAYGROUND_PLATFORM &&
    typeof target.channelId === 'string' &&
    typeof target.userId === 'string' &&
    typeof target.messageId === 'string'
  );
}
