import type { GenerationOptions } from '../core/options.js';
import type { DeliveryTarget, Derivation, ImageSource, JobRecord, UserRef } from '../core/types.js';
import type { SourceInput } from './interaction.js';
import type { ConversationView } from './views.js';

/** A generation that passed every check and is about to be asked of the core. */
export interface PendingGeneration {
  requestId: string;
  user: UserRef;
  prompt: string;
  options: GenerationOptions;
  createdAt: number;
  /** What it starts from (image-to-image), as the job will record it. */
  sources?: ImageSource[];
  derivedFrom?: Derivation;
}

/**
 * The form asking what to change. Its submission comes back as intent `edit` (`of` and the prompt)
 * for a result, or `edit-draft` (`draft` and the prompt) for an image picked on a message.
 */
export type EditForm =
  | { kind: 'result'; of: string; job: JobRecord; cost: number }
  | { kind: 'draft'; draft: string; image: SourceInput; cost: number };

/**
 * Where a new generation's status is shown. Placed after the checks pass and before the core
 * records the job, so the person sees it at once; withdrawn when the core refuses the request or
 * finds it is a redelivery of one it already has.
 */
export interface StatusPlacement {
  /** Handed to the core with the request; the platform's Delivery reads it back. */
  target: DeliveryTarget;
  /** The job is recorded (not a duplicate): say anything that goes with a placed status. */
  accepted?(): Promise<void>;
  /** The request was refused, or the job already existed: take back what was placed. */
  withdraw(reason: 'refused' | 'duplicate'): Promise<void>;
}

/**
 * How a platform answers one interaction. The conversation decides what to say; the platform
 * decides how it looks and where it goes.
 */
export interface Answer {
  /** Shows a view to the actor only (ephemeral, DM, or a private card). */
  privately(view: ConversationView): Promise<void>;
  /** Places the status of a new generation where its result will go. */
  placeStatus(generation: PendingGeneration): Promise<StatusPlacement>;
  /**
   * Posts a finished result in another channel. Throws a UserError when the actor may not post
   * there or the bot cannot; it is reported like any other refusal.
   */
  postShared?(job: JobRecord, to: string): Promise<void>;
  /**
   * Removes the message the actor acted on (Delete, or a failure replaced by Try again). `job` is
   * absent when the store has forgotten it (a moderator may still remove the message).
   */
  removeActedOn?(job: JobRecord | undefined): Promise<void>;
  /** Opens the platform's form for a new generation (Slack's modal); absent where there is none. */
  openGenerateForm?(): Promise<void>;
  /** Opens the form asking what to change in an image (a modal, or the page's edit box). */
  openEditForm(form: EditForm): Promise<void>;
  /**
   * Asks which of a message's images to edit (several were on it). The pick comes back as intent
   * `edit-draft` with `draft` and `choice` (the index into `images`).
   */
  pickSource(draft: string, images: SourceInput[]): Promise<void>;
}
