import type { ComponentHandler } from '../context.js';
import { generateFromClick } from './from-result.js';

/** Vary: a variation of the result, with its prompt and options, charged to whoever clicks. */
export default {
  action: 'vary',
  execute: (interaction, requestId) =>
    generateFromClick(interaction, { kind: 'vary', of: requestId }),
} satisfies ComponentHandler;
