import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { handleSlack } from '../interaction.js';
import { SHORTCUT_GENERATE } from '../render/ids.js';
import { OPEN_FORM } from './generate-modal.js';

/** The global shortcut "Generate image" (lightning menu / search bar) opens the same modal as `/imagine`. */
export function registerShortcut(app: App, context: SlackContext): void {
  app.shortcut(SHORTCUT_GENERATE, async ({ ack, body }) => {
    await ack();
    const event = {
      id: body.trigger_id,
      teamId: body.team?.id ?? '',
      userId: body.user.id,
      receivedAt: Date.now(),
    };
    await handleSlack(context, event, OPEN_FORM);
  });
}
