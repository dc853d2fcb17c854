import type { App, webApi } from '@slack/bolt';
import { UserError } from '../../../core/errors.js';
import type { SlackContext } from '../context.js';
import { sharedMessage } from '../render/job.js';
import { ACTION, decodeButtonValue, encodeButtonValue, FIELD, VIEW } from '../render/ids.js';
import { plain } from '../render/text.js';
import { reportError } from '../reply.js';
import { slackErrorCode } from '../slack-errors.js';
import { jobOf, onButton } from './result-buttons.js';

/** Members per page: a large channel is read a page at a time, stopping at the sharer. */
const MEMBERS_PAGE = 200;

/**
 * Whether the person belongs to the conversation, as Slack itself says. The picker offers only
 * conversations they can see, but a submission can name any id: a private channel they are not
 * in, or someone else's DM with the bot, would otherwise get the image.
 */
async function isMember(
  web: webApi.WebClient,
  channelId: string,
  userId: string,
): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await web.conversations.members({
      channel: channelId,
      limit: MEMBERS_PAGE,
      ...(cursor ? { cursor } : {}),
    });
    if (page.members?.includes(userId)) return true;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return false;
}

/**
 * Share: pick a channel in a modal, then a copy of the image is uploaded there with the prompt and
 * who shared it. A copy (not a link) so it stays visible to that channel whatever happens to the
 * original, and so no `slack_file` reference to an unshared file can make the post fail.
 */
export function registerShare(app: App, context: SlackContext): void {
  onButton(app, context, ACTION.share, async (click) => {
    if (!click.value.fileId) throw new UserError('generation_not_found');
    await context.slack.web.views.open({
      trigger_id: click.body.trigger_id,
      view: {
        type: 'modal',
        callback_id: VIEW.share,
        title: plain('Share image'),
        submit: plain('Share'),
        close: plain('Cancel'),
        private_metadata: encodeButtonValue(click.value),
        blocks: [
          {
            type: 'input',
            block_id: FIELD.channel,
            label: plain('Share to'),
            element: {
              type: 'conversations_select',
              action_id: FIELD.value,
              filter: { include: ['public', 'private'], exclude_bot_users: true },
            },
          },
        ],
      },
    });
  });

  /** Refuses a share to a conversation the sharer is not in (or the bot cannot see). */
  async function checkMembership(channelId: string, userId: string): Promise<void> {
    let member: boolean;
    try {
      member = await isMember(context.slack.web, channelId, userId);
    } catch (error) {
      if (slackErrorCode(error) !== 'channel_not_found') throw error;
      // A private channel without the bot looks like no channel at all: the same hint as posting.
      throw new UserError('slack_share_not_in_channel', {
        botName: (await context.slack.bot()).name,
      });
    }
    if (!member) throw new UserError('slack_share_not_member');
  }

  app.view(VIEW.share, async ({ ack, body, view }) => {
    await ack();
    const userId = body.user.id;
    const values = view.state.values as Record<
      string,
      Record<string, { selected_conversation?: string | null }>
    >;
    const channelId = values[FIELD.channel]?.[FIELD.value]?.selected_conversation ?? undefined;
    try {
      const value = decodeButtonValue(view.private_metadata);
      if (!value?.fileId || !channelId) throw new UserError('generation_not_found');
      await checkMembership(channelId, userId);
      const job = await jobOf(context, value);
      const image = await context.slack.downloadFile(value.fileId);
      const post = () =>
        context.slack.uploadImage(channelId, image, (fileId) => sharedMessage(job, userId, fileId));
      try {
        await post();
      } catch (error) {
        if (
          slackErrorCode(error) !== 'not_in_channel' ||
          !(await context.slack.tryJoin(channelId))
        ) {
          const code = slackErrorCode(error);
          if (code === 'not_in_channel' || code === 'channel_not_found') {
            throw new UserError('slack_share_not_in_channel', {
              botName: (await context.slack.bot()).name,
            });
          }
          throw error;
        }
        await post();
      }
      context.logger.info(
        { requestId: job.requestId, channel: channelId, by: userId },
        'image shared',
      );
    } catch (error) {
      await reportError(context.slack, context.logger, { userId }, error, 'share');
    }
  });
}
