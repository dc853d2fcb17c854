import type { DiscordFake } from './server.js';
import {
  current,
  type CallbackRecord,
  type FakeInteraction,
  type FakeMessage,
  type MessageRevision,
} from './state.js';

/** What a test holds after a person acted: the interaction, its callbacks, and the message it produced. */
export class InteractionHandle {
  constructor(
    private readonly fake: DiscordFake,
    readonly interaction: FakeInteraction,
  ) {}

  get id(): string {
    return this.interaction.id;
  }

  get callbacks(): CallbackRecord[] {
    return this.interaction.callbacks;
  }

  /** The message `@original` points at: the response, or the clicked message after an update. */
  response(): FakeMessage | undefined {
    const id = this.interaction.originalMessageId;
    return id ? this.fake.messages.get(id) : undefined;
  }

  followups(): FakeMessage[] {
    return this.interaction.followupIds.map((id) => this.fake.messages.get(id)!);
  }

  waitForCallback(timeoutMs = 5_000): Promise<CallbackRecord> {
    return this.fake.waitFor(
      () => this.callbacks[0],
      `a callback to interaction ${this.id}`,
      timeoutMs,
    );
  }

  /** Waits for the form (modal) the bot answered with. */
  waitForModal(timeoutMs = 5_000): Promise<Record<string, unknown>> {
    return this.fake.waitFor(
      () => this.interaction.modal,
      `a form in answer to interaction ${this.id}`,
      timeoutMs,
    );
  }

  /** Waits until the response's latest revision satisfies the check. */
  waitForResponse(
    check: (revision: MessageRevision) => boolean,
    what = 'the response',
    timeoutMs = 10_000,
  ): Promise<FakeMessage> {
    return this.fake.waitFor(
      () => {
        const message = this.response();
        return message && check(current(message)) ? message : undefined;
      },
      `${what} (interaction ${this.id})`,
      timeoutMs,
    );
  }

  /** Waits for an ephemeral or public reply text (response or follow-up) containing the text. */
  waitForText(text: string, timeoutMs = 10_000): Promise<FakeMessage> {
    return this.fake.waitFor(
      () =>
        [this.response(), ...this.followups()].find(
          (message) => message && !message.deleted && textOf(current(message)).includes(text),
        ),
      `a reply containing "${text}" (interaction ${this.id})`,
      timeoutMs,
    );
  }
}

/** Everything a person reads in a revision: content plus embed titles, descriptions, fields, footers. */
export function textOf(revision: MessageRevision): string {
  const parts = [revision.content];
  for (const embed of revision.embeds) {
    parts.push(
      typeof embed.title === 'string' ? embed.title : '',
      typeof embed.description === 'string' ? embed.description : '',
    );
    for (const field of (embed.fields as Array<{ name: string; value: string }> | undefined) ?? [])
      parts.push(field.name, field.value);
    const footer = embed.footer as { text?: string } | undefined;
    if (footer?.text) parts.push(footer.text);
  }
  return parts.join('\n');
}
