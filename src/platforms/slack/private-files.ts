import type { SourceInput } from '../../conversation/interaction.js';
import { refusal, unreachable } from '../../conversation/messages.js';
import { MAX_SOURCE_BYTES, MAX_SOURCE_MB, sourceName } from '../../conversation/source-rules.js';
import { sniffImageType } from '../../core/fetch/image-type.js';
import type { DownloadedImage } from '../../core/images.js';

const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 60_000;
/** Where Slack serves files a person uploaded (url_private). */
const SLACK_FILE_HOST = 'files.slack.com';

/**
 * Fetches a Slack file someone offered as a source (a file input, a message's files): its private
 * URL with the bot token. The token goes only to Slack's file host (or the host SLACK_API_URL
 * names, for a proxy or a test double), never along a redirect to anywhere else; the bytes are
 * capped at 30 MB and must be a PNG, JPEG or WEBP image whatever the URL or Slack claimed.
 */
export function slackPrivateFileFetcher(options: {
  token: string;
  apiUrl: string;
}): (source: SourceInput) => Promise<DownloadedImage> {
  const apiHost = new URL(options.apiUrl).host;
  const isSlackHost = (url: URL) =>
    (url.protocol === 'https:' && url.host === SLACK_FILE_HOST) || url.host === apiHost;

  return async (source) => {
    // The name the rest of the conversation gives it (the file's, else its address's last part).
    const name = sourceName(source);
    let url: URL;
    try {
      url = new URL(source.url);
    } catch {
      throw unreachable(name, 'slack.file.reason.notUrl');
    }
    for (let redirects = 0; ; redirects++) {
      if (!isSlackHost(url)) throw unreachable(name, 'slack.file.reason.notSlack');
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${options.token}` },
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        throw unreachable(name, 'slack.file.reason.noAnswer');
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (redirects >= MAX_REDIRECTS) throw unreachable(name, 'slack.file.reason.redirects');
        url = new URL(location, url);
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw unreachable(name, 'slack.file.reason.httpStatus', {
          status: String(response.status),
        });
      }
      return readImage(response, name);
    }
  };
}

/** The body, if it is an image within the cap: stops reading as soon as it is over. */
async function readImage(response: Response, name: string): Promise<DownloadedImage> {
  const tooLarge = () => refusal('source_too_large', { name, maxMb: MAX_SOURCE_MB });
  if (Number(response.headers.get('content-length') ?? 0) > MAX_SOURCE_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_SOURCE_BYTES) throw tooLarge();
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  const bytes = Buffer.concat(chunks);
  const type = sniffImageType(bytes);
  if (!type || type.contentType === 'image/gif') throw refusal('source_not_image', { name });
  return { bytes, contentType: type.contentType, fileName: `image.${type.extension}` };
}
