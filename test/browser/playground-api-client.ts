import type { ChatMessage } from '../../src/platforms/playground/room.js';

let counter = 0;

/** Ids like the page makes them: a repeated id is a repeated send. */
export function clientId(): string {
  counter++;
  return `t${process.pid}x${counter}x${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * What one open page sees, without a browser: the event stream of one viewer, kept as the page
 * keeps it, plus the two POSTs the page makes.
 */
export class PlaygroundApiClient {
  readonly messages = new Map<string, ChatMessage>();
  snapshot: Record<string, unknown> | undefined;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  private constructor(
    readonly base: string,
    readonly viewer: string,
    body: ReadableStream<Uint8Array>,
    /** A session cookie, for a playground that needs its token. */
    readonly headers: Record<string, string>,
  ) {
    this.done = this.read(body).catch(() => undefined);
  }

  static async open(
    base: string,
    viewer: string,
    headers: Record<string, string> = {},
  ): Promise<PlaygroundApiClient> {
    const abort = new AbortController();
    const response = await fetch(new URL(`api/events?viewer=${viewer}`, base), {
      signal: abort.signal,
      headers,
    });
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    const client = new PlaygroundApiClient(base, viewer, response.body, headers);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    await client.until(() => client.snapshot, 'the snapshot');
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) this.apply(JSON.parse(data) as Record<string, unknown>);
      }
    }
  }

  private apply(event: Record<string, unknown>): void {
    if (event.type === 'snapshot') {
      this.snapshot = event;
      this.messages.clear();
      for (const message of event.messages as ChatMessage[]) this.messages.set(message.id, message);
    } else if (event.type === 'upsert') {
      const message = event.message as ChatMessage;
      this.messages.set(message.id, message);
    } else if (event.type === 'remove') {
      this.messages.delete(event.id as string);
    }
  }

  async command(
    text: string,
    channel = 'general',
    id = clientId(),
    attachments?: string[],
  ): Promise<Response> {
    return this.post('api/command', { viewer: this.viewer, channel, text, id, attachments });
  }

  /** Attaches an image as the page does (raw bytes); the answer is the upload or the refusal. */
  async upload(
    bytes: Uint8Array,
    name: string,
    id = clientId(),
    channel = 'general',
  ): Promise<{ status: number; body: { id?: string; url?: string; error?: string } }> {
    const query = new URLSearchParams({ viewer: this.viewer, channel, id, name });
    const response = await fetch(new URL(`api/upload?${query.toString()}`, this.base), {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as { id?: string } };
  }

  /** Sends (or cancels) the edit form, or picks an image, as the page does. */
  async editStep(
    messageId: string,
    step: { prompt?: string; choice?: number; cancel?: boolean },
    id = clientId(),
  ): Promise<Response> {
    return this.post('api/edit', { viewer: this.viewer, messageId, id, ...step });
  }

  async click(
    messageId: string,
    action: 'reroll' | 'retry' | 'edit' | 'vary' | 'upscale' | 'delete' | 'share' | 'edit-image',
    channel?: string,
    id = clientId(),
  ): Promise<Response> {
    return this.post('api/action', {
      viewer: this.viewer,
      messageId,
      action,
      channel,
      id,
    });
  }

  private async post(path: string, body: unknown): Promise<Response> {
    const response = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response;
  }

  in(channel: string): ChatMessage[] {
    return [...this.messages.values()].filter((message) => message.channelId === channel);
  }

  /** Text of the notices this viewer sees, newest last. */
  notices(channel = 'general'): string[] {
    return this.in(channel).flatMap((message) =>
      message.body.type === 'notice' ? [message.body.lines.join('\n')] : [],
    );
  }

  jobs(channel = 'general'): ChatMessage[] {
    return this.in(channel).filter((message) => message.body.type === 'job');
  }

  async until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
