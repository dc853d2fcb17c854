import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { SHORTCUT_GENERATE } from '../render/ids.js';
import { reportError } from '../reply.js';
import { openGenerateModal } from './generate-modal.js';

/** The global shortcut "Generate image" (lightning menu / search bar) opens the same modal as `/imagine`. */
export function registerShortcut(app: App, context: SlackContext): void {
  app.shortcut(SHORTCUT_GENERATE, async ({ ack, body }) => {
    await ack();
    try {
      await openGenerateModal(context, body.trigger_id);
    } catch (error) {
      await reportError(context.slack, context.logger, { userId: body.user.id }, error, 'shortcut');
    }
  });
}
