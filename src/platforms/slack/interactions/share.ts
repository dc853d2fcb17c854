import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { failSlack, handleSlack, submitterOf } from '../interaction.js';
import { decodeButtonValue, FIELD, VIEW } from '../render/ids.js';

type Values = Record<string, Record<string, { selected_conversation?: string | null }>>;

/**
 * The share modal's submission (the picker is the conversation's share-picker view, see
 * SlackAnswer): share the result named in its metadata to the picked conversation.
 */
export function registerShare(app: App, context: SlackContext): void {
  app.view(VIEW.share, async ({ ack, body, view }) => {
    await ack();
    const to = (view.state.values as Values)[FIELD.channel]?.[FIELD.value]?.selected_conversation;
    const value = decodeButtonValue(view.private_metadata);
    const submitter = submitterOf(body, view);
    // Slack requires a pick, and the metadata is what we wrote when opening the modal.
    if (!value || !to) return failSlack(context, submitter, 'share modal submission');
    await handleSlack(
      context,
      { ...submitter, actedOn: { value, ephemeral: false } },
      { kind: 'share', of: value.requestId, to },
    );
  });
}
