import type { types } from '@slack/bolt';
import type {
  ConversationView,
  ServerPoolView,
  SettingsView,
} from '../../../conversation/index.js';
import type { UserStatus } from '../../../core/generation-service.js';
import type { JobRecord } from '../../../core/types.js';
import { translate, translator, type Locale, type MessageKey } from '../../../i18n/index.js';
import { optionsLine } from '../../view-text.js';
import { ACTION } from './ids.js';
import { madeFromText } from './job.js';
import { poolLines, settingsLines } from './settings.js';
import { escapeMrkdwn, mrkdwn, plain, promptText, slackDate, userText } from './text.js';

const STATE_LABEL = {
  queued: 'slack.home.state.queued',
  submitted: 'slack.home.state.submitted',
  waiting: 'slack.home.state.waiting',
  delivering: 'slack.home.state.delivering',
  done: 'slack.home.state.done',
  failed: 'slack.home.state.failed',
} as const satisfies Record<JobRecord['state'], MessageKey>;

/** One line per job: state, when, options and the (escaped, shortened) prompt. */
export function historyLines(jobs: JobRecord[], locale: Locale = 'en'): string[] {
  return jobs.map((job) => {
    const when = slackDate(job.createdAt, locale);
    const from = madeFromText(job, locale);
    const state = translate(locale, STATE_LABEL[job.state]);
    // The chain: an edit names the result it came from.
    return `${state} · ${when} · ${optionsLine(job.options)} — ${promptText(job.prompt.replace(/\s+/g, ' '), 120)}${from ? ` (${from})` : ''}`;
  });
}

function button(actionId: string, text: string): types.Button {
  return { type: 'button', action_id: actionId, text: plain(text) };
}

/** For admins: the workspace's settings at a glance, and buttons to change them and see usage. */
function controlBlocks(view: SettingsView, locale: Locale): types.KnownBlock[] {
  const t = translator(locale);
  const counts = {
    own: String(view.settings.blocklist.length),
    shared: String(view.sharedBlocklistSize),
  };
  const blocked = t(
    view.sharedBlocklistSize > 0 ? 'slack.admin.home.blockedShared' : 'slack.admin.home.blocked',
    counts,
  );
  return [
    { type: 'divider' },
    { type: 'header', text: plain(t('slack.admin.home.title')) },
    { type: 'section', text: mrkdwn([...settingsLines(view, locale), blocked].join('\n')) },
    {
      type: 'actions',
      elements: [
        { ...button(ACTION.editSettings, t('slack.admin.home.edit')), style: 'primary' },
        button(ACTION.usageReport, t('slack.admin.home.usage')),
        button(ACTION.exportCsv, t('slack.admin.home.export')),
      ],
    },
    { type: 'context', elements: [mrkdwn(t('slack.admin.home.note'))] },
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
  locale: Locale = 'en',
): types.HomeView {
  const t = translator(locale);
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(t('slack.home.title')) },
    {
      type: 'section',
      text: mrkdwn(
        t('slack.home.credits', {
          remaining: status.remaining,
          daily: status.dailyCredits,
          when: slackDate(status.resetsAt, locale),
        }),
      ),
      accessory: {
        type: 'button',
        action_id: ACTION.openModal,
        text: plain(t('slack.home.newImage')),
        style: 'primary',
      },
    },
    ...(pools.length > 0
      ? [{ type: 'section' as const, text: mrkdwn(poolLines(pools, locale).join('\n')) }]
      : []),
    { type: 'divider' },
    {
      type: 'section',
      text: mrkdwn(t('slack.home.inProgress', { count: status.activeJobs.length })),
    },
  ];
  for (const line of historyLines(status.activeJobs, locale))
    blocks.push({ type: 'section', text: userText(line) });
  blocks.push({ type: 'divider' }, { type: 'section', text: mrkdwn(t('slack.home.recent')) });
  const lines = historyLines(recent, locale);
  if (lines.length === 0)
    blocks.push({ type: 'context', elements: [mrkdwn(t('slack.home.empty'))] });
  for (const line of lines) blocks.push({ type: 'section', text: userText(line) });
  if (controls?.kind === 'settings') blocks.push(...controlBlocks(controls, locale));
  else if (controls?.kind === 'notice')
    blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(controls.text))] });
  return { type: 'home', blocks };
}
