import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  json: Record<string, unknown>;
  files: UploadedFile[];
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a REST body the way Discord does: JSON, or multipart with `payload_json` and `files[n]`. */
export async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(request);
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // The platform's own multipart parser (undici), so no parsing code of ours is on trial here.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let json: Record<string, unknown> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value) as Record<string, unknown>;
        continue;
      }
      files.push({
        field,
        name: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { json, files };
  }
  if (raw.length === 0) return { json: {}, files: [] };
  return { json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
}
