import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { handleSlack } from '../interaction.js';

export const SLASH_COMMAND = '/imagine';

/**
 * `/imagine …`: the text goes to the conversation's one grammar (a prompt with flags, help, quota,
 * history, admin; nothing at all opens the form).
 */
export function registerCommands(app: App, context: SlackContext): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    // Acknowledge before any I/O: Slack shows the user an error after 3 s without it.
    await ack();
    await handleSlack(
      context,
      {
        id: command.trigger_id,
        teamId: command.team_id,
        userId: command.user_id,
        userName: command.user_name,
        channelId: command.channel_id,
        resultChannelId: command.channel_id,
        responseUrl: command.response_url,
        receivedAt: Date.now(),
      },
      { kind: 'command-text', text: command.text, afterCommand: true },
    );
  });
}
