import { conversationMessages, type PlatformWording } from '../../conversation/index.js';

interface PoolRefusal {
  remaining: number;
  cost: number;
  resetsAt: string;
}

/** A workspace's shared credits ran out: what is left, when they come back, and who can help. */
function workspaceCredits(p: PoolRefusal, when: string, budget: string): string {
  const instead = p.remaining > 0 ? 'a lower resolution may fit, or ' : '';
  return `This image costs ${p.cost} credit${p.cost === 1 ? '' : 's'} and the credits this workspace shares have ${p.remaining} left ${when}. They reset ${p.resetsAt}; until then ${instead}a workspace admin can raise the ${budget} budget.`;
}

/** "<#C1>", "<#C1> or <#C2>", "<#C1>, <#C2> or <#C3>": Slack shows each as the channel's name. */
function channelList(ids: readonly string[]): string {
  const mentions = ids.map((id) => `<#${id}>`);
  return mentions.length <= 1
    ? mentions.join('')
    : `${mentions.slice(0, -1).join(', ')} or ${mentions.at(-1)!}`;
}

/**
 * Slack's own words for some of the conversation's refusals: it has workspaces and workspace
 * admins, not servers and moderators.
 */
export const slackWording: PlatformWording = {
  not_allowed_to_delete: () =>
    'Only the person who asked for this image, or a workspace admin, can delete it.',
  admin_usage: () =>
    `${conversationMessages.admin_usage().replaceAll('server’s', 'workspace’s')}\nThe same settings and reports are under *Workspace controls* in my App Home.`,
  admin_only: () =>
    "Only workspace admins and owners (and members the bot's operator named) can use the admin commands.",
  share_not_allowed: () =>
    "You're not a member of that channel, so the image can't be shared there. Join it first, or pick a channel you're in.",
  channel_not_allowed: (p: { channelIds: readonly string[] }) =>
    p.channelIds.length > 0
      ? `Image generation is not enabled in this channel. Use \`/imagine\` in ${channelList(p.channelIds)}.`
      : 'Image generation is turned off in this channel. Use `/imagine` in another channel of this workspace.',
  no_channel_allowed: () =>
    'Image generation is not enabled in any channel of this workspace right now. Ask a workspace admin to allow one.',
  dms_not_allowed: () =>
    'Image generation is turned off in direct messages in this workspace. Use `/imagine` in a channel instead.',
  prompt_blocked: () =>
    'A rule of this workspace blocks that prompt, so no image was made and no credits were used. Reword it and try again.',
  server_daily_exhausted: (p: PoolRefusal) => workspaceCredits(p, 'today', "workspace's daily"),
  server_monthly_exhausted: (p: PoolRefusal) =>
    workspaceCredits(p, 'this month', "workspace's monthly"),
};

/**
 * Codes whose Slack wording carries channel mentions (`<#C1>`) and nothing a person typed, so it
 * is shown as mrkdwn rather than escaped like other notices.
 */
export const MRKDWN_WORDING: ReadonlySet<string> = new Set(['channel_not_allowed']);
