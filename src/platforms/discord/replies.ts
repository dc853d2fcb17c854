import {
  InteractionResponseType,
  MessageFlags,
  RESTJSONErrorCodes,
  Routes,
  type APIInteractionResponse,
  type APIModalInteractionResponseCallbackData,
  type RawFile,
  type REST,
} from 'discord.js';
import type { Logger } from '../../log.js';
import { discordErrorCode } from './api-errors.js';
import type { MessageBody } from './render.js';
import type { FirstAnswer, InteractionKeys, InteractionResponder } from './responder.js';

/** Where an interaction stands with Discord, which decides how the next answer goes out. */
export type Acknowledgement =
  | { kind: 'none' }
  /** A new message is loading; `messageId` when Discord said which. */
  | { kind: 'deferred-reply'; ephemeral: boolean; messageId: string | null }
  /** The message acted on (a button's) is `@original` and will be edited, if anything. */
  | { kind: 'deferred-update' }
  /** Something was said already; anything more is a follow-up. */
  | { kind: 'replied' };

/**
 * One interaction's answers over both transports: the first through the transport's responder,
 * the rest through the interaction's webhook (its token, never the bot token).
 */
export class InteractionReplies {
  private state: Acknowledgement = { kind: 'none' };

  constructor(
    private readonly responder: InteractionResponder,
    private readonly rest: REST,
    private readonly keys: InteractionKeys,
    private readonly logger: Logger,
  ) {}

  get acknowledgement(): Acknowledgement {
    return this.state;
  }

  /** "Thinking…": a new message, public or only for the person who acted. */
  async deferReply(ephemeral: boolean): Promise<void> {
    const answer = await this.acknowledge({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      ...(ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
    });
    if (answer)
      this.state = {
        kind: 'deferred-reply',
        ephemeral: answer.ephemeral ?? ephemeral,
        messageId: answer.messageId ?? null,
      };
  }

  /** Acknowledges a click without a new message: `@original` is the message clicked on. */
  async deferUpdate(): Promise<void> {
    if (await this.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate }))
      this.state = { kind: 'deferred-update' };
  }

  /**
   * Opens a form (modal). Discord takes one only as an interaction's first answer, so whatever
   * opens one must not defer first.
   */
  async openModal(data: APIModalInteractionResponseCallbackData): Promise<void> {
    if (this.state.kind !== 'none')
      throw new Error('a form can only be the first answer to an interaction');
    if (await this.acknowledge({ type: InteractionResponseType.Modal, data }))
      this.state = { kind: 'replied' };
  }

  /**
   * Tells only the person who acted, whatever state the interaction is in: a fresh ephemeral reply,
   * an edit of an ephemeral deferral, or (when the deferral was public) replacing it with an
   * ephemeral follow-up so a refusal is never shown to the whole channel. `inPlace`: after a
   * deferred update, the message acted on (a private picker) becomes this.
   */
  async tellPrivately(
    body: MessageBody,
    { inPlace = false, files = [] }: { inPlace?: boolean; files?: RawFile[] } = {},
  ): Promise<void> {
    // Files go with a webhook call (multipart), so a first answer carrying some defers first.
    if (this.state.kind === 'none' && files.length > 0) await this.deferReply(true);
    const state = this.state;
    this.state = { kind: 'replied' };
    switch (state.kind) {
      case 'none':
        await this.responder.respond({
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { ...body, flags: MessageFlags.Ephemeral },
        });
        return;
      case 'deferred-reply':
        if (state.ephemeral) return this.editOriginal(body, files);
        await this.deleteOriginal();
        return this.followUp(body, files);
      case 'deferred-update':
        return inPlace ? this.editOriginal(body, files) : this.followUp(body, files);
      case 'replied':
        return this.followUp(body, files);
    }
  }

  async editOriginal(body: MessageBody, files: RawFile[] = []): Promise<void> {
    await this.rest.patch(this.original(), { body, files, auth: false });
  }

  /** After a deferred update this removes the message acted on, even where the bot could not. */
  async deleteOriginal(): Promise<void> {
    await this.rest.delete(this.original(), { auth: false });
  }

  private async followUp(body: MessageBody, files: RawFile[] = []): Promise<void> {
    await this.rest.post(Routes.webhook(this.keys.applicationId, this.keys.token), {
      body: { ...body, flags: MessageFlags.Ephemeral },
      files,
      auth: false,
    });
  }

  private original(): `/${string}` {
    return Routes.webhookMessage(this.keys.applicationId, this.keys.token, '@original');
  }

  /**
   * The first answer; undefined when another process (or an earlier delivery of the same
   * interaction) already gave it. The work keyed by its id still happens at most once, and
   * `@original` is that other answer's: nothing of ours replaces or deletes it, we only follow up.
   */
  private async acknowledge(response: APIInteractionResponse): Promise<FirstAnswer | undefined> {
    try {
      return await this.responder.respond(response);
    } catch (error) {
      if (discordErrorCode(error) !== RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
        throw error;
      this.logger.info(
        { interactionId: this.keys.id },
        'interaction already acknowledged elsewhere',
      );
      this.state = { kind: 'replied' };
      return undefined;
    }
  }
}
