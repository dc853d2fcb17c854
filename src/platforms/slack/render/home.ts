import type { types } from '@slack/bolt';
import type { UserStatus } from '../../../core/generation-service.js';
import type { JobRecord } from '../../../core/types.js';
import { optionsLine } from '../../view-text.js';
import { ACTION } from './ids.js';
import { madeFromText } from './job.js';
import { mrkdwn, plain, promptText, slackDate, userText } from './text.js';

const STATE_LABEL: Record<JobRecord['state'], string> = {
  queued: ':hourglass_flowing_sand: queued',
  submitted: ':hourglass_flowing_sand: starting',
  waiting: ':hourglass_flowing_sand: generating',
  delivering: ':outbox_tray: posting',
  done: ':white_check_mark: done',
  failed: ':warning: failed',
};

/** One line per job: state, when, options and the (escaped, shortened) prompt. */
export function historyLines(jobs: JobRecord[]): string[] {
  return jobs.map((job) => {
    const when = slackDate(job.createdAt);
    const from = madeFromText(job);
    // The chain: an edit names the result it came from.
    return `${STATE_LABEL[job.state]} · ${when} · ${optionsLine(job.options)} — ${promptText(job.prompt.replace(/\s+/g, ' '), 120)}${from ? ` (${from})` : ''}`;
  });
}

/** The App Home tab: credits and reset time, jobs in flight, recent generations, and a button to start one. */
export function homeView(status: UserStatus, recent: JobRecord[]): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('Your images') },
    {
      type: 'section',
      text: mrkdwn(
        `*${status.remaining} of ${status.dailyCredits}* credits left today · resets ${slackDate(status.resetsAt)}`,
      ),
      accessory: {
        type: 'button',
        action_id: ACTION.openModal,
        text: plain('New image'),
        style: 'primary',
      },
    },
    { type: 'divider' },
    { type: 'section', text: mrkdwn(`*In progress* (${status.activeJobs.length})`) },
  ];
  for (const line of historyLines(status.activeJobs))
    blocks.push({ type: 'section', text: userText(line) });
  blocks.push({ type: 'divider' }, { type: 'section', text: mrkdwn('*Recent*') });
  const lines = historyLines(recent);
  if (lines.length === 0)
    blocks.push({
      type: 'context',
      elements: [mrkdwn('No images yet. Type `/imagine a red fox in snow` anywhere.')],
    });
  for (const line of lines) blocks.push({ type: 'section', text: userText(line) });
  return { type: 'home', blocks };
}
