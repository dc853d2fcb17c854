import type { ComponentHandler } from '../context.js';
import type { ComponentAction } from '../custom-id.js';
import deleteResult from './delete.js';
import edit from './edit.js';
import pickSource from './pick-source.js';
import reroll from './reroll.js';
import shareTo from './share-to.js';
import share from './share.js';
import upscale from './upscale.js';
import vary from './vary.js';

/** Button and select handlers by the action prefix of their custom_id. */
export const components: readonly ComponentHandler[] = [
  reroll,
  edit,
  vary,
  upscale,
  share,
  shareTo,
  deleteResult,
  pickSource,
];

export function componentsByAction(): Map<ComponentAction, ComponentHandler> {
  return new Map(components.map((handler) => [handler.action, handler]));
}
