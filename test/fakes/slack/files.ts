import type { FakeFile } from './workspace.js';

/** Where Slack serves a file's bytes: only to a request carrying the bot token. */
export function fileUrl(origin: string, file: FakeFile): string {
  return `${origin}/files/${file.id}/${encodeURIComponent(file.name)}`;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'text/plain': 'text',
};

/**
 * A file as Slack describes it in a payload (a message's `files`, a file input's value): the fields
 * an app reads, with the private URLs that need the bot token.
 */
export function slackFileObject(origin: string, file: FakeFile): Record<string, unknown> {
  const url = fileUrl(origin, file);
  const mimetype = file.mimetype ?? 'image/png';
  return {
    id: file.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: file.name,
    title: file.title ?? file.name,
    mimetype,
    filetype: EXTENSIONS[mimetype] ?? 'binary',
    pretty_type: (EXTENSIONS[mimetype] ?? 'binary').toUpperCase(),
    user: file.owner ?? 'U0BOT',
    size: file.length,
    mode: 'hosted',
    is_external: false,
    is_public: false,
    url_private: url,
    url_private_download: `${url}?download=1`,
  };
}
