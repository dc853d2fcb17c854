/**
 * The checks Slack makes of a modal before views.open, views.update or views.push shows it,
 * answered as Slack does: `invalid_arguments` with a pointer to the first problem.
 */

type Json = Record<string, unknown>;

const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'static_select',
  'conversations_select',
  'multi_conversations_select',
  'file_input',
  'radio_buttons',
  'checkboxes',
]);

/** Slack's rules for the inputs the bot's forms use; the first broken one, else undefined. */
function checkElementRules(element: Json, pointer: string): string | undefined {
  if (element.type === 'plain_text_input') {
    const max = (element.max_length as number | undefined) ?? 3000;
    if (!Number.isInteger(max) || max < 1 || max > 3000)
      return `max_length must be 1 to 3000 [json-pointer:${pointer}/max_length]`;
    const initial = element.initial_value;
    if (initial !== undefined && (typeof initial !== 'string' || initial.length > max))
      return `initial_value must be at most max_length [json-pointer:${pointer}/initial_value]`;
  }
  if (element.type === 'radio_buttons' || element.type === 'checkboxes') {
    const options = element.options as Json[] | undefined;
    if (!Array.isArray(options) || options.length === 0 || options.length > 10)
      return `options must be 1 to 10 [json-pointer:${pointer}/options]`;
    const values = options.map((option) => option.value);
    const initial =
      element.type === 'checkboxes'
        ? ((element.initial_options as Json[] | undefined) ?? [])
        : element.initial_option
          ? [element.initial_option as Json]
          : [];
    if (initial.some((option) => !values.includes(option.value)))
      return `initial options must be among the options [json-pointer:${pointer}]`;
  }
  if (element.type === 'multi_conversations_select') {
    const max = (element.max_selected_items as number | undefined) ?? 100;
    if (!Number.isInteger(max) || max < 1)
      return `max_selected_items must be 1 or more [json-pointer:${pointer}/max_selected_items]`;
    const initial = (element.initial_conversations as unknown[] | undefined) ?? [];
    if (initial.length > max)
      return `initial_conversations over max_selected_items [json-pointer:${pointer}/initial_conversations]`;
  }
  return undefined;
}

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
  if (block.hint !== undefined && !plainText(block.hint, 2000))
    return `invalid hint [json-pointer:${pointer}/hint]`;
  const element = block.element as Json | undefined;
  if (!element || !INPUT_ELEMENTS.has(element.type as string))
    return `invalid input element [json-pointer:${pointer}/element]`;
  const broken = checkElementRules(element, `${pointer}/element`);
  if (broken) return broken;
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
