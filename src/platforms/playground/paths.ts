/** Kept apart from the adapter so the composition root can name the page without loading it. */
export const PLAYGROUND_PLATFORM = 'playground';
export const PLAYGROUND_PATH = '/playground/';
