import type { ComponentHandler } from '../context.js';
import type { ComponentAction } from '../custom-id.js';
import deleteResult from './delete.js';
import reroll from './reroll.js';
import shareTo from './share-to.js';
import share from './share.js';

/** Button and select handlers by the action prefix of their custom_id. */
export const components: readonly ComponentHandler[] = [reroll, share, shareTo, deleteResult];

export function componentsByAction(): Map<ComponentAction, ComponentHandler> {
  return new Map(components.map((handler) => [handler.action, handler]));
}
