import type { JobRecord } from '../../../core/types.js';
import { optionsLine, truncate } from '../../view-text.js';
import { playgroundUserKey } from '../people.js';
import { tellPrivately } from '../reply.js';
import { audienceOf, type Command } from './command.js';

function historyLine(job: JobRecord): string {
  const outcome =
    job.outcome?.kind === 'success'
      ? 'done'
      : job.outcome?.kind === 'failure'
        ? 'failed'
        : job.state;
  const when = new Date(job.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  return `${when} UTC · "${truncate(job.prompt, 80)}" · ${optionsLine(job.options)} · ${outcome}`;
}

export const history: Command = {
  name: 'history',
  usage: '/imagine history (or /history)',
  summary: 'Your last 10 generations.',
  async run(context, input) {
    const jobs = await context.service.history(playgroundUserKey(input.user.id), 10);
    tellPrivately(
      context,
      audienceOf(input),
      jobs.length > 0
        ? ['Your recent generations:', ...jobs.map(historyLine)]
        : ['You have no generations yet. Try `/imagine a red fox in snow`.'],
    );
  },
};
