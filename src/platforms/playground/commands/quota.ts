import { describeReset } from '../../../core/quota.js';
import { playgroundUserKey } from '../people.js';
import { tellPrivately } from '../reply.js';
import { audienceOf, type Command } from './command.js';

export const quota: Command = {
  name: 'quota',
  usage: '/imagine quota (or /quota)',
  summary: 'Your credits left today, when they reset, and your images in progress.',
  async run(context, input) {
    const status = await context.service.status(playgroundUserKey(input.user.id));
    const active = status.activeJobs.length;
    tellPrivately(context, audienceOf(input), [
      `You have ${status.remaining} of ${status.dailyCredits} credits left today. They reset ${describeReset(status.resetsAt, Date.now())}.`,
      active > 0
        ? `In progress: ${active} image${active === 1 ? '' : 's'}.`
        : 'Nothing in progress.',
    ]);
  },
};
