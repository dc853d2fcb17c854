import { slackDate } from '../render/text.js';
import { slackUserKey } from '../target.js';
import { replyPrivately } from './reply-to-command.js';
import type { Subcommand } from './subcommand.js';

export const quota: Subcommand = {
  name: 'quota',
  usage: '/imagine quota',
  summary: 'Your credits left today, when they reset, and your images in progress.',
  async run(context, input) {
    const status = await context.service.status(slackUserKey(input.teamId, input.userId));
    const lines = [
      `You have *${status.remaining} of ${status.dailyCredits}* credits left today. They reset ${slackDate(status.resetsAt)}.`,
      status.activeJobs.length > 0
        ? `In progress: ${status.activeJobs.length} image${status.activeJobs.length === 1 ? '' : 's'}.`
        : 'Nothing in progress.',
    ];
    await replyPrivately(context, input, {
      text: lines.join('\n'),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
    });
  },
};
