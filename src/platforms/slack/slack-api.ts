import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { SlackMessage } from './render/job.js';
import { slackErrorCode } from './slack-errors.js';

/** Slack's limits on a response_url: 5 posts within 30 minutes of the command. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** Members per page of conversations.members. */
const MEMBERS_PAGE = 200;

export interface BotIdentity {
  userId: string;
  /** The bot's username, for "/invite @name" hints. */
  name: string;
}

export interface UploadedFile {
  fileId: string;
}

export interface UploadableImage {
  bytes: Buffer;
  fileName: string;
  /** The file's title and alt text. */
  title: string;
}

/**
 * The handful of Slack operations the adapter performs, on one Web API client, so handlers and
 * delivery share pacing, error mapping and the response_url budget.
 */
export class SlackApi {
  /** Uses per response_url, with when we first saw it, so entries can expire with the URL. */
  private readonly responseUrlUses = new Map<string, { uses: number; since: number }>();
  private readonly adminCache = new Map<string, { admin: boolean; at: number }>();
  private identity: BotIdentity | undefined;

  constructor(
    readonly web: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  async bot(): Promise<BotIdentity> {
    if (!this.identity) {
      const auth = await this.web.auth.test();
      this.identity = {
        userId: String(auth.user_id ?? ''),
        name: String(auth.user ?? 'gpt-image-bot'),
      };
    }
    return this.identity;
  }

  /** A message in the channel, or with `threadTs` a reply in that thread. */
  async postMessage(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const result = await this.web.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return String(result.ts);
  }

  async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.web.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
  }

  /** Deleting something already gone is success: the point was for it not to be there. */
  async deleteMessage(channel: string, ts: string): Promise<void> {
    try {
      await this.web.chat.delete({ channel, ts });
    } catch (error) {
      if (slackErrorCode(error) !== 'message_not_found') throw error;
    }
  }

  async postEphemeral(
    channel: string,
    user: string,
    message: SlackMessage,
    threadTs?: string,
  ): Promise<void> {
    await this.web.chat.postEphemeral({
      channel,
      user,
      text: message.text,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  /** The bot's DM with a user (needs `im:write`). */
  async openDm(userId: string): Promise<string> {
    const result = await this.web.conversations.open({ users: userId });
    const id = result.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }

  /** Joins a public channel; false when Slack says the bot may not (private channel, DM, archived). */
  async tryJoin(channel: string): Promise<boolean> {
    try {
      await this.web.conversations.join({ channel });
      return true;
    } catch (error) {
      this.logger.debug({ channel, error: slackErrorCode(error) }, 'could not join channel');
      return false;
    }
  }

  /** Posts into a channel, joining it first when the bot is not a member yet and may join (public). */
  async postJoining<T>(channel: string, post: () => Promise<T>): Promise<T> {
    try {
      return await post();
    } catch (error) {
      if (slackErrorCode(error) !== 'not_in_channel' || !(await this.tryJoin(channel))) throw error;
      return post();
    }
  }

  /**
   * Whether the person belongs to the conversation, as Slack itself says, read a page at a time
   * and stopping at them (a large channel has many pages).
   */
  async isMember(channel: string, userId: string): Promise<boolean> {
    let cursor: string | undefined;
    do {
      const page = await this.web.conversations.members({
        channel,
        limit: MEMBERS_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      if (page.members?.includes(userId)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return false;
  }

  /** Workspace admins and owners, per users.info; cached briefly since every Delete may ask. */
  async isAdmin(userId: string): Promise<boolean> {
    const cached = this.adminCache.get(userId);
    if (cached && Date.now() - cached.at < 60_000) return cached.admin;
    const result = await this.web.users.info({ user: userId });
    const user = result.user;
    const admin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
    this.adminCache.set(userId, { admin, at: Date.now() });
    return admin;
  }

  /**
   * Uploads an image with the files v2 flow (get an upload URL, send the bytes, complete) and shares
   * it into the channel as one message carrying our blocks. The file id is known before completion,
   * so the blocks' buttons can already name it.
   */
  async uploadImage(
    channel: string,
    image: UploadableImage,
    message: (fileId: string) => SlackMessage,
  ): Promise<UploadedFile> {
    const fileId = await this.sendImage(image);
    await this.completeUpload(fileId, channel, image.title, message(fileId));
    return { fileId };
  }

  /** The first two steps of an upload: a file id, and the bytes sent. Nobody sees it yet. */
  sendImage(image: UploadableImage): Promise<string> {
    // Screen readers read this instead of "image.png"; Slack allows 1,000 characters.
    return this.sendFile(image, image.title.slice(0, 1_000));
  }

  /**
   * A file for one person (the usage chart, the audit CSV): uploaded and shared in the channel
   * (their DM with the bot) with a message. `altText` for an image only.
   */
  async uploadFile(
    channel: string,
    file: UploadableImage,
    message: SlackMessage,
    altText?: string,
  ): Promise<UploadedFile> {
    const fileId = await this.sendFile(file, altText);
    await this.completeUpload(fileId, channel, file.title, message);
    return { fileId };
  }

  private async sendFile(image: UploadableImage, altText?: string): Promise<string> {
    const ticket = await this.web.files.getUploadURLExternal({
      filename: image.fileName,
      length: image.bytes.length,
      ...(altText ? { alt_text: altText } : {}),
    });
    if (!ticket.upload_url || !ticket.file_id)
      throw new Error('files.getUploadURLExternal returned no upload URL');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(image.bytes)]), image.fileName);
    const response = await fetch(ticket.upload_url, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`file upload answered HTTP ${response.status}`);
    return ticket.file_id;
  }

  /**
   * The last step: the upload is completed and shared into the channel with the message's blocks
   * (with `threadTs`, as a reply in that thread).
   */
  async completeUpload(
    fileId: string,
    channel: string,
    title: string,
    message: SlackMessage,
    threadTs?: string,
  ): Promise<void> {
    await this.web.files.completeUploadExternal({
      files: [{ id: fileId, title }],
      channel_id: channel,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  /**
   * Whether a file is shared in the conversation already (a completion that took effect before a
   * crash): true or false, or undefined when Slack knows no such file.
   */
  async isSharedIn(fileId: string, channel: string): Promise<boolean | undefined> {
    let file;
    try {
      file = (await this.web.files.info({ file: fileId })).file;
    } catch (error) {
      if (slackErrorCode(error) === 'file_not_found') return undefined;
      throw error;
    }
    if (!file) return undefined;
    const shares = file.shares as Record<string, Record<string, unknown> | undefined> | undefined;
    const listed = [...(file.channels ?? []), ...(file.groups ?? []), ...(file.ims ?? [])];
    return (
      listed.includes(channel) ||
      shares?.public?.[channel] !== undefined ||
      shares?.private?.[channel] !== undefined
    );
  }

  /** Reads a file the bot can see (for sharing a copy elsewhere), with a size cap. */
  async downloadFile(
    fileId: string,
    maxBytes = 50 * 1024 * 1024,
  ): Promise<{ bytes: Buffer; fileName: string; title: string }> {
    const info = await this.web.files.info({ file: fileId });
    const file = info.file;
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url) throw new Error('files.info returned no download URL');
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.web.token ?? ''}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (response.status !== 200) throw new Error(`file download answered HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new Error(`file is over ${maxBytes} bytes`);
    return { bytes, fileName: file.name ?? 'image.png', title: file.title ?? 'image' };
  }

  async deleteFile(fileId: string): Promise<void> {
    try {
      await this.web.files.delete({ file: fileId });
    } catch (error) {
      if (slackErrorCode(error) !== 'file_not_found' && slackErrorCode(error) !== 'file_deleted')
        throw error;
    }
  }

  /** Whether this response_url can still be used: fewer than 5 uses, and under 30 minutes old. */
  canRespond(responseUrl: string | undefined, issuedAt: number | undefined): responseUrl is string {
    if (!responseUrl) return false;
    if (issuedAt !== undefined && Date.now() - issuedAt > RESPONSE_URL_LIFETIME_MS - 60_000)
      return false;
    return (this.responseUrlUses.get(responseUrl)?.uses ?? 0) < RESPONSE_URL_USES;
  }

  /**
   * Posts to a response_url (ephemeral unless told otherwise). Counts every use, so callers can keep
   * the last ones for the result.
   */
  async respond(
    responseUrl: string,
    message: SlackMessage,
    options: { replaceOriginal?: boolean; deleteOriginal?: boolean; inChannel?: boolean } = {},
  ): Promise<void> {
    this.countResponseUrlUse(responseUrl);
    const body = {
      text: message.text,
      blocks: message.blocks,
      response_type: options.inChannel ? 'in_channel' : 'ephemeral',
      replace_original: options.replaceOriginal ?? false,
      ...(options.deleteOriginal ? { delete_original: true } : {}),
    };
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await response.text();
    if (response.status !== 200)
      throw new Error(`response_url answered HTTP ${response.status}: ${answer.slice(0, 100)}`);
  }

  private countResponseUrlUse(responseUrl: string): void {
    const now = Date.now();
    const entry = this.responseUrlUses.get(responseUrl) ?? { uses: 0, since: now };
    this.responseUrlUses.set(responseUrl, { ...entry, uses: entry.uses + 1 });
    // A response_url is dead after 30 minutes, so its count can go; this keeps the map small.
    if (this.responseUrlUses.size > 1_000) {
      for (const [url, { since }] of this.responseUrlUses) {
        if (now - since > RESPONSE_URL_LIFETIME_MS) this.responseUrlUses.delete(url);
      }
    }
  }
}
