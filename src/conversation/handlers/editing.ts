import type { ConversationContext } from '../context.js';
import type { Interaction, IntentOf } from '../interaction.js';

// Placeholders until the editing handlers are built (issue 12).
const notYet = () => Promise.reject(new Error('editing is not built yet'));

export function edit(_i: Interaction<IntentOf<'edit'>>, _c: ConversationContext): Promise<void> {
  return notYet();
}
export function vary(_i: Interaction<IntentOf<'vary'>>, _c: ConversationContext): Promise<void> {
  return notYet();
}
export function upscale(
  _i: Interaction<IntentOf<'upscale'>>,
  _c: ConversationContext,
): Promise<void> {
  return notYet();
}
export function editImage(
  _i: Interaction<IntentOf<'edit-image'>>,
  _c: ConversationContext,
): Promise<void> {
  return notYet();
}
export function editDraft(
  _i: Interaction<IntentOf<'edit-draft'>>,
  _c: ConversationContext,
): Promise<void> {
  return notYet();
}
