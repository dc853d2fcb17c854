import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { UserError } from '../../../core/errors.js';
import type { JobRecord } from '../../../core/types.js';
import type { SlackContext } from '../context.js';
import { ACTION, decodeButtonValue, type ButtonValue } from '../render/ids.js';
import { reportError, type Audience } from '../reply.js';
import { startGeneration } from '../start-generation.js';
import { slackUserKey } from '../target.js';

export interface ButtonClick {
  body: BlockAction<ButtonAction>;
  value: ButtonValue;
  teamId: string;
  userId: string;
  channelId?: string;
  messageTs?: string;
  ephemeral: boolean;
  audience: Audience;
}

function clickOf(body: BlockAction<ButtonAction>, action: ButtonAction): ButtonClick | undefined {
  const value = decodeButtonValue(action.value);
  if (!value) return undefined;
  const container = body.container as
    { channel_id?: string; message_ts?: string; is_ephemeral?: boolean } | undefined;
  const channelId = container?.channel_id ?? body.channel?.id;
  const userId = body.user.id;
  return {
    body,
    value,
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId,
    ...(channelId ? { channelId } : {}),
    ...(container?.message_ts ? { messageTs: container.message_ts } : {}),
    ephemeral: container?.is_ephemeral === true,
    audience: {
      userId,
      ...(channelId ? { channelId } : {}),
      ...(body.response_url
        ? { responseUrl: body.response_url, responseUrlIssuedAt: Date.now() }
        : {}),
    },
  };
}

export async function jobOf(context: SlackContext, value: ButtonValue): Promise<JobRecord> {
  const job = await context.service.jobs.get(value.requestId);
  if (!job) throw new UserError('generation_not_found');
  return job;
}

/**
 * Registers a button handler that acknowledges at once and turns every failure into a message for
 * the person who clicked. Buttons carry only ids, so they work after a restart.
 */
export function onButton(
  app: App,
  context: SlackContext,
  actionId: string,
  handle: (click: ButtonClick) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
    await ack();
    const click = clickOf(body, action);
    if (!click) return;
    try {
      await handle(click);
    } catch (error) {
      await reportError(context.slack, context.logger, click.audience, error, `${actionId} button`);
    }
  });
}

/** The same prompt and options again, charged to whoever clicked, keyed by the click's own trigger_id. */
async function again(context: SlackContext, click: ButtonClick): Promise<void> {
  const job = await jobOf(context, click.value);
  await startGeneration(context, {
    requestId: click.body.trigger_id,
    teamId: click.teamId,
    userId: click.userId,
    userName: click.body.user.name,
    ...(click.channelId && !click.ephemeral ? { channelId: click.channelId } : {}),
    ...(click.body.response_url ? { responseUrl: click.body.response_url } : {}),
    prompt: job.prompt,
    options: click.ephemeral ? { ...job.options, private: true } : job.options,
  });
}

export function registerResultButtons(app: App, context: SlackContext): void {
  onButton(app, context, ACTION.reroll, (click) => again(context, click));

  // Try again replaces the failure message, so a retried job leaves one message, not two.
  onButton(app, context, ACTION.retry, async (click) => {
    const job = await jobOf(context, click.value);
    await again(context, click);
    if (
      click.channelId &&
      click.messageTs &&
      !click.ephemeral &&
      job.user.key === slackUserKey(click.teamId, click.userId)
    ) {
      await context.slack.deleteMessage(click.channelId, click.messageTs);
    }
  });

  onButton(app, context, ACTION.delete, async (click) => {
    const job = await context.service.jobs.get(click.value.requestId);
    const own = job?.user.key === slackUserKey(click.teamId, click.userId);
    if (!own && !(await context.slack.isAdmin(click.userId)))
      throw new UserError('not_allowed_to_delete');
    if (click.channelId && click.messageTs)
      await context.slack.deleteMessage(click.channelId, click.messageTs);
    if (click.value.fileId) await context.slack.deleteFile(click.value.fileId);
    context.logger.info({ requestId: click.value.requestId, by: click.userId }, 'image deleted');
  });
}
