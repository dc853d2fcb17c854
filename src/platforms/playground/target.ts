import type { DeliveryTarget } from '../../core/types.js';
import { supportedLocaleOf, type Locale } from '../../i18n/index.js';
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
  /** The requester's language, so the card speaks it even after a restart (absent: older records). */
  locale?: Locale;
}

/** The language a card is written in: the requester's, or the default for a record without one. */
export function targetLocale(target: PlaygroundTarget, fallback: Locale): Locale {
  return supportedLocaleOf(target.locale) ?? fallback;
}

export function isPlaygroundTarget(target: DeliveryTarget): target is PlaygroundTarget {
  return (
    target.platform === PLAYGROUND_PLATFORM &&
    typeof target.channelId === 'string' &&
    typeof target.userId === 'string' &&
    typeof target.messageId === 'string'
  );
}
