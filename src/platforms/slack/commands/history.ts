import { historyLines } from '../render/home.js';
import { slackUserKey } from '../target.js';
import { replyPrivately } from './reply-to-command.js';
import type { Subcommand } from './subcommand.js';

export const history: Subcommand = {
  name: 'history',
  usage: '/imagine history',
  summary: 'Your last 10 generations.',
  async run(context, input) {
    const jobs = await context.service.history(slackUserKey(input.teamId, input.userId), 10);
    const text =
      jobs.length > 0
        ? historyLines(jobs).join('\n')
        : 'You have no generations yet. Try `/imagine a red fox in snow`.';
    await replyPrivately(context, input, {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }],
    });
  },
};
