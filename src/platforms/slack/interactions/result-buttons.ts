import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Intent } from '../../../conversation/index.js';
import type { SlackContext } from '../context.js';
import { failSlack, handleSlack, type SlackEvent } from '../interaction.js';
import { ACTION, decodeButtonValue, type ButtonValue } from '../render/ids.js';

/** What each result button asks of the conversation. Buttons carry only ids, so they outlive a restart. */
const INTENTS: Record<string, (value: ButtonValue, userId: string) => Intent> = {
  [ACTION.reroll]: (value) => ({ kind: 'reroll', of: value.requestId }),
  [ACTION.retry]: (value) => ({ kind: 'retry', of: value.requestId }),
  [ACTION.share]: (value) => ({ kind: 'share', of: value.requestId }),
  // Edit opens the form (a modal keyed by this click's trigger); Vary and Upscale start at once.
  [ACTION.edit]: (value) => ({ kind: 'edit', of: value.requestId }),
  [ACTION.vary]: (value) => ({ kind: 'vary', of: value.requestId }),
  [ACTION.upscale]: (value) => ({ kind: 'upscale', of: value.requestId }),
  [ACTION.delete]: (value, userId) => ({
    kind: 'delete',
    of: value.requestId,
    sharedByActor: value.sharedBy === userId,
  }),
};

function clickOf(body: BlockAction<ButtonAction>, value?: ButtonValue): SlackEvent {
  const container = body.container as
    | { channel_id?: string; message_ts?: string; is_ephemeral?: boolean; thread_ts?: string }
    | undefined;
  const channelId = container?.channel_id ?? body.channel?.id;
  const ephemeral = container?.is_ephemeral === true;
  // A result in a thread: what its buttons start (reroll, edit, vary, upscale) stays in the thread.
  const threadTs =
    (body.message as { thread_ts?: string } | undefined)?.thread_ts ?? container?.thread_ts;
  return {
    id: body.trigger_id,
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    userName: body.user.name,
    ...(channelId ? { channelId } : {}),
    // A new generation from a private note stays private (in the DM); otherwise it goes beside the original.
    ...(channelId && !ephemeral ? { resultChannelId: channelId } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(body.response_url ? { responseUrl: body.response_url } : {}),
    receivedAt: Date.now(),
    ...(value
      ? {
          actedOn: {
            value,
            ...(channelId ? { channelId } : {}),
            ...(container?.message_ts ? { ts: container.message_ts } : {}),
            ephemeral,
          },
        }
      : {}),
  };
}

/** Reroll, Edit, Vary, Upscale, Try again, Share and Delete on results: acknowledged at once, then asked of the conversation. */
export function registerResultButtons(app: App, context: SlackContext): void {
  for (const [actionId, intentOf] of Object.entries(INTENTS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const value = decodeButtonValue(action.value);
      if (!value) {
        await failSlack(context, clickOf(body), `${actionId} button value`);
        return;
      }
      await handleSlack(context, clickOf(body, value), intentOf(value, body.user.id));
    });
  }
}
