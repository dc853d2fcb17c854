/**
 * No words for people outside the catalogue: every string or template literal in src/ with two
 * words of letters in it is either in src/i18n, or is for the operator (logs, errors, start-up and
 * config lines, metrics), or for the image API, or named below with the reason. Read with the
 * TypeScript compiler, so comments, types, import paths and object keys never count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** The catalogue itself. */
const CATALOGUE = ['src/i18n/'];

/** What only the bot's operator (or a metrics scraper) reads: start-up, config, logs, health. */
const OPERATOR_ONLY = [
  'src/config.ts',
  'src/startup-failure.ts',
  'src/log.ts',
  'src/main.ts',
  'src/graceful-exit.ts',
  'src/http/',
  'src/storage/',
  // The simulated image API speaks as the API does (its failMsg is the API's words).
  'src/simulator/',
  'src/core/api/',
  'src/core/budget/',
  'src/core/engine/',
  'src/core/fetch/',
  'src/core/images.ts',
  'src/core/submission-queue.ts',
  // What only answers machines: Discord's and Slack's servers, and the operator's logs.
  // Why a payload is refused: the HTTP 400 body Discord's servers get, or a log line (gateway).
  'src/platforms/discord/payload.ts',
  // HTTP answers to Discord's servers (413, 401, 400, 503), never shown in a chat.
  'src/platforms/discord/http-interactions.ts',
  // How a Discord API error is written into a log line.
  'src/platforms/discord/api-errors.ts',
  // HTTP answers to Slack's servers (503, 405, 401), never shown in a chat.
  'src/platforms/slack/transport.ts',
];

/**
 * Files whose words are still being moved to the catalogue: none since issue 15 (every file in src/
 * is checked). A file listed here while it is being converted must leave the list when it is done.
 */
const NOT_YET_CONVERTED: string[] = [];

/** Literals in checked files that no chat user reads, and why. */
const ALLOWED: { file: string; text: string; why: string }[] = [
  {
    file: 'src/conversation/handlers/editing.ts',
    text: 'Upscale this image to ${}. Keep its content, composition, colours and style exactly as they are.',
    why: 'the prompt Upscale sends to the image API, never shown',
  },
  ...['aspect ratio', 'output format'].map((text) => ({
    file: 'src/core/options.ts',
    text,
    why: 'an option’s name the catalogue says in each language (option.*)',
  })),
  {
    file: 'src/core/option-text.ts',
    text: 'private setting',
    why: 'an option’s name the catalogue says in each language (option.*)',
  },
  ...['daily server budget', 'monthly server budget', 'role allowance', 'regular expression'].map(
    (text) => ({
      file: 'src/conversation/settings/workspace-settings.ts',
      text,
      why: 'a setting’s or list’s name the catalogue says in each language (settings.*)',
    }),
  ),
  ...[
    'PROMPT_BLOCKLIST_FILE ${} cannot be read (${}): point it at a readable text file with one blocked word or re:pattern per line, or leave it empty',
    'PROMPT_BLOCKLIST_FILE ${} line ${}: "${}" is refused, as ${}; fix or remove that line',
  ].map((text) => ({
    file: 'src/conversation/settings/blocklist-file.ts',
    text,
    why: 'the operator’s start-up line for a bad PROMPT_BLOCKLIST_FILE',
  })),
  {
    file: 'src/sources/links.ts',
    text: 'gpt-image-bot source links',
    why: 'the label that derives the signing key of source links',
  },
  {
    file: 'src/sources/prepare.ts',
    text: "PUBLIC_URL is not set, so images uploaded to Slack or the playground cannot be edited; set PUBLIC_URL to the https address where this bot's HTTP_PORT is reachable",
    why: 'the operator’s warning, logged once',
  },
  {
    file: 'src/sources/serve.ts',
    text: 'not found',
    why: 'the answer the image API gets for an expired source link',
  },
  // What the store-outage retry and the failure log lines call each step.
  ...[
    'createTask failed',
    'recordInfo failed',
    'settle credits',
    'record history',
    'return credits',
    'save job',
    ' If that host is yours, add it to FETCH_ALLOW_HOSTS.',
  ].map((text) => ({
    file: 'src/core/generation-service.ts',
    text,
    why: 'a step named in a log line',
  })),
  {
    file: 'src/platforms/playground/notices.ts',
    text: '/imagine admin settings|budget|channels|blocklist|usage|export|audit-channel|credits',
    why: 'the admin command’s syntax as typed, the same in every language',
  },
  {
    file: 'src/platforms/playground/access.ts',
    text: 'gpt-image-bot playground session',
    why: 'the label the session cookie is derived from, never shown',
  },
  // The page's script shows only the HTTP status of a refused request, never this body.
  ...[
    'unknown viewer',
    'expected JSON { viewer, channel, text, id }',
    'expected JSON { viewer, messageId, action, id }',
    'expected JSON { viewer, messageId, id, prompt? }',
  ].map((text) => ({
    file: 'src/platforms/playground/routes.ts',
    text,
    why: 'a 400 answer to the page’s own code (app.js shows the status, not this)',
  })),
  // failSlack puts the step in an Error for the log; the person gets the generic message.
  ...[
    ['src/platforms/slack/interactions/edit-image.ts', 'image picker button'],
    ['src/platforms/slack/interactions/edit-image.ts', 'edit modal submission'],
    ['src/platforms/slack/interactions/result-buttons.ts', '${} button value'],
    ['src/platforms/slack/interactions/share.ts', 'share modal submission'],
  ].map(([file, text]) => ({ file: file!, text: text!, why: 'a step named in a log line' })),
  {
    file: 'src/platforms/slack/interactions/generate-modal.ts',
    text: 'aspect ratio',
    why: 'the option’s id in an invalid_option error, matched to place it under its field',
  },
];

const LOGGER_METHODS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
const TWO_WORDS = /\p{L}+[ \t]+\p{L}+/u;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** A literal's words, its substitutions as `${}`. */
function textOf(node: ts.StringLiteralLike | ts.TemplateExpression): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return node.head.text + node.templateSpans.map((span) => '${}' + span.literal.text).join('');
}

/** Where a literal cannot be words for people: a logger's call, an Error's message. */
function isForOperators(node: ts.Node): boolean {
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    LOGGER_METHODS.has(node.expression.name.text)
  )
    return true;
  // `new Error(…)`, `new RangeError(…)`: for the operator and the logs. A UserError carries a code.
  return (
    ts.isNewExpression(node) &&
    /Error$/.test(node.expression.getText()) &&
    node.expression.getText() !== 'UserError'
  );
}

/** Every literal with two words in it, as `file: text`. */
function strayText(file: string): { file: string; line: number; text: string }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: { file: string; line: number; text: string }[] = [];
  const name = relative(ROOT, file).split(sep).join('/');
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeNode(node)) return;
    if (isForOperators(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      const isKey = ts.isPropertyAssignment(node.parent) && node.parent.name === node;
      const text = textOf(node);
      if (!isKey && TWO_WORDS.test(text))
        found.push({
          file: name,
          line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          text,
        });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const skipped = [...CATALOGUE, ...OPERATOR_ONLY, ...NOT_YET_CONVERTED];
const checked = sourceFiles(join(ROOT, 'src')).filter((file) => {
  const name = relative(ROOT, file).split(sep).join('/');
  return !skipped.some((prefix) => name === prefix || name.startsWith(prefix));
});
const found = checked.flatMap(strayText);

describe('words people read', () => {
  it('come from the catalogue (src/i18n) in the core, the conversation and the platforms', () => {
    expect(checked.some((file) => file.includes(`${sep}conversation${sep}`))).toBe(true);
    expect(checked.some((file) => file.includes(`${sep}platforms${sep}`))).toBe(true);
    const stray = found
      .filter(
        ({ file, text }) =>
          !ALLOWED.some((allowed) => allowed.file === file && allowed.text === text),
      )
      .map(({ file, line, text }) => `${file}:${line}: ${text}`);
    expect(stray).toEqual([]);
  });

  it('names no literal as allowed that is not there any more', () => {
    const stale = ALLOWED.filter(
      (allowed) => !found.some(({ file, text }) => file === allowed.file && text === allowed.text),
    ).map(({ file, text }) => `${file}: ${text}`);
    expect(stale).toEqual([]);
  });
});
