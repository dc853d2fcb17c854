/**
 * The checks Slack makes of a modal before views.open, views.update or views.push shows it,
 * answered as Slack does: `invalid_arguments` with a pointer to the first problem.
 */

type Json = Record<string, unknown>;

const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'static_select',
  'conversations_select',
  'file_input',
  'radio_buttons',
]);

function plainText(object: unknown, max: number): boolean {
  const text = (object as Json | undefined)?.text;
  return (
    (object as Json | undefined)?.type === 'plain_text' &&
    typeof text === 'string' &&
    text.length > 0 &&
    text.length <= max
  );
}

function checkInput(block: Json, pointer: string): string | undefined {
  if (!plainText(block.label, 2000)) return `invalid label [json-pointer:${pointer}/label]`;
  const element = block.element as Json | undefined;
  if (!element || !INPUT_ELEMENTS.has(element.type as string))
    return `invalid input element [json-pointer:${pointer}/element]`;
  if (element.type === 'file_input') {
    const max = element.max_files;
    if (
      max !== undefined &&
      (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10)
    )
      return `max_files must be 1 to 10 [json-pointer:${pointer}/element/max_files]`;
    const types = element.filetypes;
    if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string')))
      return `filetypes must be strings [json-pointer:${pointer}/element/filetypes]`;
  }
  return undefined;
}

/** Slack's problem with a modal view, or undefined when it would show. */
export function validateModal(view: Json | undefined): string | undefined {
  if (!view || view.type !== 'modal') return 'view type must be modal [json-pointer:/view/type]';
  if (!plainText(view.title, 24))
    return 'must be less than 25 characters [json-pointer:/view/title/text]';
  for (const key of ['submit', 'close'])
    if (view[key] !== undefined && !plainText(view[key], 24))
      return `must be less than 25 characters [json-pointer:/view/${key}/text]`;
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    return 'must be less than 3001 characters [json-pointer:/view/private_metadata]';
  const blocks = view.blocks as Json[] | undefined;
  if (!Array.isArray(blocks) || blocks.length > 100)
    return 'no more than 100 items allowed [json-pointer:/view/blocks]';
  let inputs = 0;
  for (const [index, block] of blocks.entries()) {
    if (block.type !== 'input') continue;
    inputs++;
    const bad = checkInput(block, `/view/blocks/${index}`);
    if (bad) return bad;
  }
  // A modal with inputs needs a submit button to send them.
  if (inputs > 0 && view.submit === undefined)
    return 'submit is required when blocks contain input blocks [json-pointer:/view/submit]';
  return undefined;
}
