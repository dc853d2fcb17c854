import type { Actor } from '../../conversation/index.js';
import type { SlackContext } from './context.js';
import { shareNotInChannel } from './messages.js';
import { slackErrorCode } from './slack-errors.js';
import { slackUser } from './target.js';

/**
 * The person who acted, with what Slack says they may do: workspace admins and owners moderate
 * and administer; members listed in SLACK_ADMIN_USERS administer too (budgets, rules, reports),
 * but only Slack's own admins remove other people's images. Posting somewhere needs membership of
 * that conversation.
 */
export function slackActor(
  context: SlackContext,
  teamId: string,
  userId: string,
  userName?: string,
): Actor {
  const { slack, adminUsers } = context;
  const user = slackUser(teamId, userId, userName);
  return {
    key: user.key,
    id: userId,
    displayName: user.displayName,
    mayModerate: () => slack.isAdmin(userId),
    mayAdminister: async () => adminUsers.has(userId) || (await slack.isAdmin(userId)),
    /**
     * The share picker offers only conversations they can see, but a submission can name any id:
     * a private channel they are not in, or someone else's DM with the bot.
     */
    async mayPostIn(channelId) {
      try {
        return await slack.isMember(channelId, userId);
      } catch (error) {
        // A private channel without the bot looks like no channel at all: the same hint as posting.
        if (slackErrorCode(error) === 'channel_not_found') throw await shareNotInChannel(slack);
        throw error;
      }
    },
  };
}
