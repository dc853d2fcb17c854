import type { ComponentHandler } from '../context.js';
import { generateFromClick } from './from-result.js';

/** Upscale: the result re-rendered at the next resolution, charged at that resolution. */
export default {
  action: 'upscale',
  execute: (interaction, requestId) =>
    generateFromClick(interaction, { kind: 'upscale', of: requestId }),
} satisfies ComponentHandler;
