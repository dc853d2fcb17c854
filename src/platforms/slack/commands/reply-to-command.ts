import type { SlackContext } from '../context.js';
import type { SlackMessage } from '../render/job.js';
import { mrkdwn } from '../render/text.js';
import { tellPrivately } from '../reply.js';
import type { CommandInput } from './subcommand.js';

/** Answers the person who typed the command, visible to them alone. */
export function replyPrivately(
  context: SlackContext,
  input: CommandInput,
  message: SlackMessage | string,
): Promise<void> {
  // Plain strings here are our own wording, so their mentions and links are meant.
  const body =
    typeof message === 'string'
      ? { text: message, blocks: [{ type: 'section' as const, text: mrkdwn(message) }] }
      : message;
  return tellPrivately(
    context.slack,
    context.logger,
    {
      userId: input.userId,
      channelId: input.channelId,
      responseUrl: input.responseUrl,
      responseUrlIssuedAt: Date.now(),
    },
    body,
  );
}
