import type { EditingSupport } from '../conversation/context.js';
import type { Store } from '../core/store.js';

export interface EditingSupportOptions {
  store: Store;
}

/** What editing needs at start-up: the source preparer and the drafts of edits in progress. */
export function createEditingSupport(options: EditingSupportOptions): EditingSupport {
  return {
    drafts: options.store.namespace('drafts'),
    sources: {
      prepare: () => Promise.reject(new Error('image sources are not wired in yet')),
    },
  };
}
