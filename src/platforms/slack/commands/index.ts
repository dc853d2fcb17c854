import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { openGenerateModal } from '../interactions/generate-modal.js';
import { reportError } from '../reply.js';
import { admin } from './admin.js';
import { generate } from './generate.js';
import { helpCommand } from './help.js';
import { history } from './history.js';
import { quota } from './quota.js';
import type { CommandInput, Subcommand } from './subcommand.js';

export const SLASH_COMMAND = '/imagine';

const NAMED: Subcommand[] = [];
const help = helpCommand(() => [generate, ...NAMED]);
NAMED.push(help, quota, history, admin);

/** `help`, `quota` and `history` only when alone, so "history of Rome" is still a prompt. */
function pick(text: string): { command: Subcommand; args: string } {
  const [first = '', ...rest] = text.split(/\s+/);
  const named = NAMED.find((command) => command.name === first.toLowerCase());
  if (named && (named === admin || rest.length === 0))
    return { command: named, args: text.slice(first.length).trim() };
  return { command: generate, args: text };
}

export function registerCommands(app: App, context: SlackContext): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    // Acknowledge before any I/O: Slack shows the user an error after 3 s without it.
    await ack();
    const text = command.text.trim();
    const base = {
      teamId: command.team_id,
      userId: command.user_id,
      userName: command.user_name,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      triggerId: command.trigger_id,
    };
    try {
      if (text === '') {
        await openGenerateModal(context, command.trigger_id, command.channel_id);
        return;
      }
      const { command: subcommand, args } = pick(text);
      const input: CommandInput = { ...base, args };
      await subcommand.run(context, input);
    } catch (error) {
      await reportError(
        context.slack,
        context.logger,
        {
          userId: base.userId,
          channelId: base.channelId,
          responseUrl: base.responseUrl,
          responseUrlIssuedAt: Date.now(),
        },
        error,
        `/imagine from ${base.userId}`,
      );
    }
  });
}
