import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'follow.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Every file the page is made of, each served under its own name. */
export const ASSET_NAMES = Object.keys(FILES);

/**
 * The page's files, read once at start. `public/` sits beside this module when run from source;
 * a compiled build (dist/) finds it back in src/, since tsc copies no static files.
 */
function publicFolder(): string | undefined {
  const candidates = [
    new URL('./public/', import.meta.url),
    new URL('../../../../src/platforms/playground/public/', import.meta.url),
  ].map((url) => fileURLToPath(url));
  return candidates.find((folder) => existsSync(`${folder}index.html`));
}

export function loadAssets(): Map<string, Asset> | undefined {
  const folder = publicFolder();
  if (!folder) return undefined;
  return new Map(
    Object.entries(FILES).map(([name, contentType]) => [
      name,
      { body: readFileSync(`${folder}${name}`), contentType },
    ]),
  );
}
