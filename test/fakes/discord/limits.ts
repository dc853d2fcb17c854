import { ApiFailure } from './api-failure.js';

/**
 * Discord's limits on message components and modals
 * (https://discord.com/developers/docs/components/reference): what a bot sends beyond them is
 * refused with 400 Invalid Form Body, as Discord does.
 */
const LIMITS = {
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  optionLabel: 100,
  modalTitle: 45,
  modalComponents: 5,
  inputLabel: 45,
  labelDescription: 100,
  textInputLength: 4_000,
} as const;

const ComponentKind = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  ChannelSelect: 8,
  Label: 18,
} as const;

type Json = Record<string, unknown>;

function invalid(what: string): never {
  throw new ApiFailure(400, 50035, `Invalid Form Body: ${what}`);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function checkCustomId(component: Json): void {
  const id = text(component.custom_id);
  if (id.length < 1 || id.length > LIMITS.customId)
    invalid(`custom_id must be 1 to ${LIMITS.customId} characters (got ${id.length})`);
}

function checkSelect(select: Json): void {
  checkCustomId(select);
  if (select.type !== ComponentKind.StringSelect) return;
  const options = (select.options as Json[] | undefined) ?? [];
  if (options.length < 1 || options.length > LIMITS.selectOptions)
    invalid(`a select menu has 1 to ${LIMITS.selectOptions} options`);
  for (const option of options) {
    const label = text(option.label);
    if (label.length < 1 || label.length > LIMITS.optionLabel)
      invalid(`an option label must be 1 to ${LIMITS.optionLabel} characters`);
  }
}

/** A message's components: at most 5 rows, each up to 5 buttons or one select menu. */
export function checkMessageComponents(rows: Json[]): void {
  if (rows.length > LIMITS.rows) invalid(`at most ${LIMITS.rows} action rows`);
  for (const row of rows) {
    if (row.type !== ComponentKind.ActionRow) invalid('top-level components must be action rows');
    const components = (row.components as Json[] | undefined) ?? [];
    if (components.length < 1) invalid('an action row needs a component');
    const buttons = components.filter((component) => component.type === ComponentKind.Button);
    if (buttons.length > LIMITS.buttonsPerRow)
      invalid(`at most ${LIMITS.buttonsPerRow} buttons in an action row`);
    if (buttons.length > 0 && buttons.length !== components.length)
      invalid('an action row holds buttons or one select menu, not both');
    if (buttons.length === 0 && components.length !== 1)
      invalid('an action row holds one select menu');
    for (const button of buttons) {
      if (text(button.label).length > LIMITS.buttonLabel) invalid('button label too long');
      if (button.style !== 5) checkCustomId(button);
    }
    if (buttons.length === 0) checkSelect(components[0]!);
  }
}

/** A text input inside a modal, with its label (on the Label around it, or on itself in a row). */
function checkTextInput(input: Json, label: string): void {
  if (input.type !== ComponentKind.TextInput) invalid('the fake takes only text inputs in a modal');
  checkCustomId(input);
  if (label.length < 1 || label.length > LIMITS.inputLabel)
    invalid(`a text input's label must be 1 to ${LIMITS.inputLabel} characters`);
  if (input.style !== 1 && input.style !== 2) invalid('text input style is 1 or 2');
  const max = input.max_length;
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.textInputLength))
    invalid(`max_length is 1 to ${LIMITS.textInputLength}`);
}

/** A modal (callback type 9): a custom_id, a title of at most 45, 1 to 5 labelled inputs. */
export function checkModal(data: Json | undefined): void {
  if (!data) invalid('a modal needs data');
  checkCustomId(data);
  const title = text(data.title);
  if (title.length < 1 || title.length > LIMITS.modalTitle)
    invalid(`a modal title must be 1 to ${LIMITS.modalTitle} characters (got ${title.length})`);
  const components = (data.components as Json[] | undefined) ?? [];
  if (components.length < 1 || components.length > LIMITS.modalComponents)
    invalid(`a modal has 1 to ${LIMITS.modalComponents} components`);
  for (const component of components) {
    if (component.type === ComponentKind.Label) {
      if (text(component.description).length > LIMITS.labelDescription)
        invalid('a label description is at most 100 characters');
      checkTextInput((component.component as Json | undefined) ?? {}, text(component.label));
    } else if (component.type === ComponentKind.ActionRow) {
      const [input, ...more] = (component.components as Json[] | undefined) ?? [];
      if (!input || more.length > 0) invalid('a modal action row holds one text input');
      checkTextInput(input, text(input.label));
    } else {
      invalid(`component type ${String(component.type)} is not allowed at a modal's top level`);
    }
  }
}

/** The text inputs of a modal, by custom_id, with what a person may type in each. */
export function modalInputs(modal: Json): Map<string, { required: boolean; max: number }> {
  const inputs = new Map<string, { required: boolean; max: number }>();
  for (const component of (modal.components as Json[] | undefined) ?? []) {
    const input =
      component.type === ComponentKind.Label
        ? (component.component as Json)
        : ((component.components as Json[])[0] as Json);
    inputs.set(text(input.custom_id), {
      required: input.required !== false,
      max: typeof input.max_length === 'number' ? input.max_length : LIMITS.textInputLength,
    });
  }
  return inputs;
}
