import {
  InteractionResponseType,
  Routes,
  type APIInteractionResponse,
  type REST,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';

/** What an interaction's first answer returned: the id of the message it made, when Discord says. */
export interface FirstAnswer {
  messageId?: string;
  /**
   * Discord made the message ephemeral, whether or not it was asked to: a server that lets members
   * use external apps only privately does that to a user-installed app's answers.
   */
  ephemeral?: boolean;
}

/**
 * How an interaction's first answer (its callback) reaches Discord, which is what differs between
 * the transports. Every later answer (edits, follow-ups) goes over the interaction's webhook routes
 * the same way for both.
 */
export interface InteractionResponder {
  respond(response: APIInteractionResponse): Promise<FirstAnswer>;
}

export interface InteractionKeys {
  id: string;
  token: string;
  applicationId: string;
}

const createsMessage = (response: APIInteractionResponse) =>
  response.type === InteractionResponseType.ChannelMessageWithSource ||
  response.type === InteractionResponseType.DeferredChannelMessageWithSource;

/** Gateway: the callback is a REST call, which also says what message it made. */
export class RestResponder implements InteractionResponder {
  constructor(
    private readonly rest: REST,
    private readonly keys: InteractionKeys,
  ) {}

  async respond(response: APIInteractionResponse): Promise<FirstAnswer> {
    const result = (await this.rest.post(
      Routes.interactionCallback(this.keys.id, this.keys.token),
      {
        body: response,
        auth: false,
        query: new URLSearchParams({ with_response: 'true' }),
      },
    )) as RESTPostAPIInteractionCallbackWithResponseResult | undefined;
    const messageId = result?.interaction.response_message_id ?? result?.resource?.message?.id;
    const ephemeral = result?.interaction.response_message_ephemeral;
    return {
      ...(messageId ? { messageId } : {}),
      ...(ephemeral !== undefined ? { ephemeral } : {}),
    };
  }
}

export interface HttpExchange {
  /** Writes the HTTP response Discord is waiting for. */
  reply(body: APIInteractionResponse): Promise<void>;
  /** Sent when nothing answered in time, so the person never sees "This interaction failed". */
  fallback: APIInteractionResponse;
  /** When to send the fallback (Discord waits 3 s). */
  fallbackAfterMs: number;
  onFallback(): void;
}

/**
 * HTTP interactions: the first answer is the response to Discord's POST. An HTTP response carries
 * no message id, so one that made a message reads it back. Should the fallback have gone out
 * first, a late answer is sent as the gateway would, and Discord says it was already answered.
 */
export class HttpResponder implements InteractionResponder {
  /** Settles once the HTTP response is written, by the first answer or the fallback. */
  readonly answered: Promise<void>;
  private sent = false;
  private timer: NodeJS.Timeout | undefined;
  private settle!: () => void;
  private readonly late: RestResponder;

  constructor(
    private readonly exchange: HttpExchange,
    private readonly rest: REST,
    private readonly keys: InteractionKeys,
  ) {
    this.late = new RestResponder(rest, keys);
    this.answered = new Promise((resolve) => (this.settle = resolve));
    this.timer = setTimeout(() => {
      exchange.onFallback();
      void this.send(exchange.fallback);
    }, exchange.fallbackAfterMs);
  }

  /** Answers now with the fallback: nothing will answer this interaction. */
  fallBackNow(): Promise<void> {
    return this.send(this.exchange.fallback).then(() => this.answered);
  }

  async respond(response: APIInteractionResponse): Promise<FirstAnswer> {
    if (this.sent) return this.late.respond(response);
    await this.send(response);
    if (!createsMessage(response)) return {};
    const messageId = await this.originalMessageId();
    return messageId ? { messageId } : {};
  }

  private async send(response: APIInteractionResponse): Promise<void> {
    if (this.sent) return;
    this.sent = true;
    clearTimeout(this.timer);
    await this.exchange.reply(response);
    this.settle();
  }

  /** Undefined when Discord has not made the message yet: `@original` still reaches it. */
  private async originalMessageId(): Promise<string | undefined> {
    try {
      const message = (await this.rest.get(
        Routes.webhookMessage(this.keys.applicationId, this.keys.token, '@original'),
        { auth: false },
      )) as { id?: string };
      return message.id;
    } catch {
      return undefined;
    }
  }
}
