import type { types } from '@slack/bolt';
import type {
  ConversationView,
  ServerPoolView,
  SettingsView,
} from '../../../conversation/index.js';
import type { UserStatus } from '../../../core/generation-service.js';
import type { JobRecord } from '../../../core/types.js';
import { optionsLine } from '../../view-text.js';
import { ACTION } from './ids.js';
import { madeFromText } from './job.js';
import { poolLines, settingsLines } from './settings.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, slackDate, userText } from './text.js';

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

function button(actionId: string, text: string): types.Button {
  return { type: 'button', action_id: actionId, text: plain(text) };
}

/** For admins: the workspace's settings at a glance, and buttons to change them and see usage. */
function controlBlocks(view: SettingsView): types.KnownBlock[] {
  const own = view.settings.blocklist.length;
  const blocked = `Blocked prompts: ${own} of this workspace's own${view.sharedBlocklistSize > 0 ? `, ${view.sharedBlocklistSize} shared by the operator` : ''}`;
  return [
    { type: 'divider' },
    { type: 'header', text: plain('Workspace controls') },
    { type: 'section', text: mrkdwn([...settingsLines(view), blocked].join('\n')) },
    {
      type: 'actions',
      elements: [
        { ...button(ACTION.editSettings, 'Edit settings'), style: 'primary' },
        button(ACTION.usageReport, 'Usage report'),
        button(ACTION.exportCsv, 'Export CSV'),
      ],
    },
    {
      type: 'context',
      elements: [mrkdwn('The usage chart and the CSV come to you in our direct messages.')],
    },
  ];
}

export interface HomeExtras {
  /** The workspace's pools, as /imagine quota shows them. */
  pools?: readonly ServerPoolView[];
  /** For admins: the workspace's settings, or the notice saying why they could not be read. */
  controls?: ConversationView;
}

/**
 * The App Home tab: credits and reset time (the workspace's pools too), jobs in flight, recent
 * generations, and a button to start one; for admins, the workspace's controls.
 */
export function homeView(
  status: UserStatus,
  recent: JobRecord[],
  { pools = [], controls }: HomeExtras = {},
): types.HomeView {
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
    ...(pools.length > 0
      ? [{ type: 'section' as const, text: mrkdwn(poolLines(pools).join('\n')) }]
      : []),
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
  if (controls?.kind === 'settings') blocks.push(...controlBlocks(controls));
  else if (controls?.kind === 'notice')
    blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(controls.text))] });
  return { type: 'home', blocks };
}
