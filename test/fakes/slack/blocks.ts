/**
 * The parts of Slack's Block Kit validation the bot can trip over, answered the way Slack does:
 * `invalid_blocks` with a pointer to the first bad element.
 */

type Json = Record<string, unknown>;

export interface FileLookup {
  /** True when a `slack_file` reference would render: uploaded, completed and shared somewhere. */
  isShareable(fileId: string): boolean;
}

const BLOCK_TYPES = new Set([
  'section',
  'context',
  'actions',
  'divider',
  'header',
  'image',
  'input',
  'rich_text',
  'file',
]);

function textLength(object: unknown): number {
  return typeof (object as Json | undefined)?.text === 'string'
    ? ((object as Json).text as string).length
    : 0;
}

function checkTextObject(object: unknown, pointer: string, max: number): string | undefined {
  if (!object || typeof object !== 'object') return `missing text object [json-pointer:${pointer}]`;
  const type = (object as Json).type;
  if (type !== 'mrkdwn' && type !== 'plain_text')
    return `invalid text type [json-pointer:${pointer}/type]`;
  if (typeof (object as Json).text !== 'string' || textLength(object) === 0)
    return `empty text [json-pointer:${pointer}/text]`;
  if (textLength(object) > max)
    return `must be less than ${max + 1} characters [json-pointer:${pointer}/text]`;
  return undefined;
}

function checkElement(element: Json, pointer: string, files: FileLookup): string | undefined {
  if (element.type === 'button') {
    const bad = checkTextObject(element.text, `${pointer}/text`, 75);
    if (bad) return bad;
    if (typeof element.value === 'string' && element.value.length > 2000)
      return `value too long [json-pointer:${pointer}/value]`;
    if (typeof element.action_id === 'string' && element.action_id.length > 255)
      return `action_id too long [json-pointer:${pointer}/action_id]`;
  }
  if (element.type === 'image') return checkImage(element, pointer, files);
  return undefined;
}

function checkImage(image: Json, pointer: string, files: FileLookup): string | undefined {
  const slackFile = image.slack_file as Json | undefined;
  if (slackFile) {
    const id = typeof slackFile.id === 'string' ? slackFile.id : undefined;
    if (!id || !files.isShareable(id))
      return `invalid slack file [json-pointer:${pointer}/slack_file]`;
    return undefined;
  }
  if (typeof image.image_url !== 'string')
    return `missing image_url or slack_file [json-pointer:${pointer}]`;
  return undefined;
}

/** Returns Slack's error detail for the first problem, or undefined when the blocks would post. */
export function validateBlocks(blocks: unknown, files: FileLookup): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > 50) return 'no more than 50 items allowed [json-pointer:/blocks]';
  for (const [index, block] of (blocks as Json[]).entries()) {
    const pointer = `/blocks/${index}`;
    if (!block || typeof block !== 'object' || !BLOCK_TYPES.has(block.type as string))
      return `invalid block type [json-pointer:${pointer}]`;
    if (block.type === 'section') {
      if (block.text !== undefined) {
        const bad = checkTextObject(block.text, `${pointer}/text`, 3000);
        if (bad) return bad;
      }
      if (block.accessory) {
        const bad = checkElement(block.accessory as Json, `${pointer}/accessory`, files);
        if (bad) return bad;
      }
    }
    if (block.type === 'header') {
      const bad = checkTextObject(block.text, `${pointer}/text`, 150);
      if (bad) return bad;
    }
    if (block.type === 'context') {
      const elements = block.elements as Json[] | undefined;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
        return `invalid elements [json-pointer:${pointer}/elements]`;
      for (const [i, element] of elements.entries()) {
        const bad =
          element.type === 'image'
            ? checkImage(element, `${pointer}/elements/${i}`, files)
            : checkTextObject(element, `${pointer}/elements/${i}`, 3000);
        if (bad) return bad;
      }
    }
    if (block.type === 'actions') {
      const elements = block.elements as Json[] | undefined;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
        return `invalid elements [json-pointer:${pointer}/elements]`;
      for (const [i, element] of elements.entries()) {
        const bad = checkElement(element, `${pointer}/elements/${i}`, files);
        if (bad) return bad;
      }
    }
    if (block.type === 'image') {
      const bad = checkImage(block, pointer, files);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** Every piece of text in a message that Slack would parse for mentions. */
function texts(message: {
  text?: unknown;
  blocks?: unknown;
}): Array<{ text: string; verbatim: boolean; mrkdwn: boolean }> {
  const found: Array<{ text: string; verbatim: boolean; mrkdwn: boolean }> = [];
  if (typeof message.text === 'string')
    found.push({ text: message.text, verbatim: true, mrkdwn: true });
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    if (
      (object.type === 'mrkdwn' || object.type === 'plain_text') &&
      typeof object.text === 'string'
    ) {
      found.push({
        text: object.text,
        verbatim: object.verbatim === true,
        mrkdwn: object.type === 'mrkdwn',
      });
    }
    for (const value of Object.values(object)) visit(value);
  };
  visit(message.blocks);
  return found;
}

/**
 * Who a message would notify: `channel`, `here`, `everyone`, user ids and `subteam^ID`s. In mrkdwn
 * without `verbatim`, Slack also turns bare `@here`-style words into mentions.
 */
export function mentionsIn(message: { text?: unknown; blocks?: unknown }): string[] {
  const mentions = new Set<string>();
  for (const { text, verbatim, mrkdwn } of texts(message)) {
    if (!mrkdwn) continue;
    for (const match of text.matchAll(/<!(channel|here|everyone)(?:\|[^>]*)?>/g))
      mentions.add(match[1]!);
    for (const match of text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) mentions.add(match[1]!);
    for (const match of text.matchAll(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g))
      mentions.add(`subteam^${match[1]!}`);
    if (!verbatim)
      for (const match of text.matchAll(/(?:^|\s)@(channel|here|everyone)\b/g))
        mentions.add(match[1]!);
  }
  return [...mentions];
}
