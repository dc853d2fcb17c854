import type { ServerResponse } from 'node:http';
import type { FakeUpload } from './commands.js';
import { snowflake } from './snowflake.js';
import { current, type FakeAttachment, type FakeMessage } from './state.js';

/**
 * Discord's CDN as the fake serves it, at `/attachments/<channel>/<id>/<name>`: the files on
 * messages, and files attached to commands' options (which belong to no message).
 */
export class FakeCdn {
  /** Files attached to commands' options. */
  readonly commandUploads = new Map<string, FakeAttachment>();
  /** Messages to delete after this many more fetches of their files (deleteAfterFetches). */
  private readonly vanishing = new Map<string, number>();

  constructor(
    private readonly messagesIn: (channelId: string) => FakeMessage[],
    private readonly origin: () => string,
  ) {}

  /** Keeps a file attached to a command's option, where the command's channel can link it. */
  keepCommandUpload(channelId: string, upload: FakeUpload): FakeAttachment {
    const id = snowflake();
    const attachment: FakeAttachment = {
      id,
      filename: upload.filename,
      size: upload.bytes.length,
      contentType: upload.contentType ?? '',
      bytes: upload.bytes,
      url: `${this.origin()}/attachments/${channelId}/${id}/${encodeURIComponent(upload.filename)}`,
    };
    this.commandUploads.set(id, attachment);
    return attachment;
  }

  /** The message is deleted once its files have been fetched `fetches` more times. */
  deleteAfterFetches(message: FakeMessage, fetches: number): void {
    this.vanishing.set(message.id, fetches);
  }

  /** Answers a CDN request; returns the status. A deleted message's files are gone (404). */
  serve(pathname: string, response: ServerResponse): number {
    const [, , channelId, attachmentId] = pathname.split('/');
    for (const message of this.messagesIn(channelId ?? '')) {
      const attachment = current(message).attachments.find(
        (candidate) => candidate.id === attachmentId,
      );
      if (attachment) {
        this.countFetch(message);
        return serveFile(attachment, response);
      }
    }
    const upload = this.commandUploads.get(attachmentId ?? '');
    if (upload && upload.url.endsWith(pathname)) return serveFile(upload, response);
    response.writeHead(404).end();
    return 404;
  }

  private countFetch(message: FakeMessage): void {
    const left = this.vanishing.get(message.id);
    if (left === undefined) return;
    if (left > 1) return void this.vanishing.set(message.id, left - 1);
    this.vanishing.delete(message.id);
    message.deleted = true;
  }
}

/** The CDN answers with the type the uploader declared, or a generic one. */
function serveFile(file: FakeAttachment, response: ServerResponse): number {
  response.writeHead(200, {
    'content-type': file.contentType || 'application/octet-stream',
    'content-length': file.size,
  });
  response.end(file.bytes);
  return 200;
}
