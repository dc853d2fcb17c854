import { ApiFailure } from './api-failure.js';
import type { UploadedFile } from './body.js';
import { checkMessageComponents } from './limits.js';
import { resolvePings } from './mentions.js';
import { snowflake } from './snowflake.js';
import {
  current,
  MessageFlag,
  type FakeAttachment,
  type FakeMessage,
  type MessageRevision,
} from './state.js';

/** Discord takes up to 10 files with one message. */
const MAX_FILES = 10;

/** Every message the fake holds, with each one's full edit history and uploaded files. */
export class MessageStore {
  readonly messages = new Map<string, FakeMessage>();

  /** `origin` builds attachment URLs; it is known only once the server listens. */
  constructor(private readonly origin: () => string) {}

  create(spec: {
    channelId: string;
    guildId: string | undefined;
    interactionId: string | undefined;
    via: MessageRevision['via'];
    flags: number;
    json: Record<string, unknown>;
    files: UploadedFile[];
    sizeLimit: number;
  }): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channelId: spec.channelId,
      guildId: spec.guildId,
      interactionId: spec.interactionId,
      deleted: false,
      revisions: [],
    };
    const empty: MessageRevision = {
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      allowedMentions: undefined,
      pings: { everyone: false, users: [], roles: [] },
      flags: spec.flags,
      via: spec.via,
      at: Date.now(),
    };
    message.revisions.push(
      this.revise(message, empty, spec.json, spec.files, spec.via, spec.sizeLimit),
    );
    message.revisions[0]!.flags = spec.flags;
    this.messages.set(message.id, message);
    return message;
  }

  /** The bot's message sent with this nonce within the last `windowMs`, if any. */
  sentWithNonce(nonce: string, windowMs: number): FakeMessage | undefined {
    const since = Date.now() - windowMs;
    return [...this.messages.values()].find(
      (message) => message.nonce === nonce && message.revisions[0]!.at >= since,
    );
  }

  edit(
    message: FakeMessage,
    json: Record<string, unknown>,
    files: UploadedFile[],
    via: MessageRevision['via'],
    sizeLimit: number,
  ): void {
    message.revisions.push(this.revise(message, current(message), json, files, via, sizeLimit));
  }

  /** Applies a create/edit body to the previous state: what is given replaces, what is omitted stays. */
  private revise(
    message: FakeMessage,
    previous: MessageRevision,
    json: Record<string, unknown>,
    files: UploadedFile[],
    via: MessageRevision['via'],
    sizeLimit: number,
  ): MessageRevision {
    if (files.length > MAX_FILES)
      throw new ApiFailure(400, 50035, `Invalid Form Body: at most ${MAX_FILES} files a message`);
    for (const file of files) {
      if (file.bytes.length > sizeLimit)
        throw new ApiFailure(413, 40005, 'Request entity too large');
    }
    const uploaded = files.map((file): FakeAttachment => {
      const id = snowflake();
      return {
        id,
        filename: file.name,
        size: file.bytes.length,
        contentType: file.contentType,
        bytes: file.bytes,
        url: `${this.origin()}/attachments/${message.channelId}/${id}/${file.name}`,
      };
    });
    let attachments = [...previous.attachments, ...uploaded];
    if (Array.isArray(json.attachments)) {
      const keep = new Set(
        (json.attachments as Array<{ id: string | number }>).map((entry) => String(entry.id)),
      );
      const kept = previous.attachments.filter((attachment) => keep.has(attachment.id));
      attachments = [...kept, ...uploaded];
    }
    const content = typeof json.content === 'string' ? json.content : previous.content;
    const allowedMentions =
      'allowed_mentions' in json ? json.allowed_mentions : previous.allowedMentions;
    const flags = previous.flags & ~MessageFlag.Loading;
    if (content.length > 2000)
      throw new ApiFailure(400, 50035, 'Invalid Form Body: content longer than 2000');
    if (Array.isArray(json.embeds)) checkEmbedLimits(json.embeds as Array<Record<string, unknown>>);
    if (Array.isArray(json.components))
      checkMessageComponents(json.components as Array<Record<string, unknown>>);
    return {
      content,
      embeds: Array.isArray(json.embeds)
        ? (json.embeds as MessageRevision['embeds'])
        : previous.embeds,
      components: Array.isArray(json.components)
        ? (json.components as MessageRevision['components'])
        : previous.components,
      attachments,
      allowedMentions,
      pings: resolvePings(content, allowedMentions as Parameters<typeof resolvePings>[1]),
      flags,
      via,
      at: Date.now(),
    };
  }
}

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits), in UTF-16 units. */
const EMBED_LIMITS = {
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
};

function checkEmbedLimits(embeds: Array<Record<string, unknown>>): void {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  let total = 0;
  const over = (what: string, length: number, limit: number) => {
    if (length > limit)
      throw new ApiFailure(
        400,
        50035,
        `Invalid Form Body: embed ${what} is ${length} long, over ${limit}`,
      );
  };
  over('count', embeds.length, EMBED_LIMITS.embeds);
  for (const embed of embeds) {
    const fields = (embed.fields as Array<{ name?: unknown; value?: unknown }> | undefined) ?? [];
    over('title', text(embed.title).length, EMBED_LIMITS.title);
    over('description', text(embed.description).length, EMBED_LIMITS.description);
    over('field count', fields.length, EMBED_LIMITS.fields);
    const footer = text((embed.footer as { text?: unknown } | undefined)?.text);
    over('footer', footer.length, EMBED_LIMITS.footer);
    total += text(embed.title).length + text(embed.description).length + footer.length;
    for (const field of fields) {
      over('field name', text(field.name).length, EMBED_LIMITS.fieldName);
      over('field value', text(field.value).length, EMBED_LIMITS.fieldValue);
      total += text(field.name).length + text(field.value).length;
    }
  }
  over('total text', total, EMBED_LIMITS.total);
}
