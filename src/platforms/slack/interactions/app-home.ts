import type { App } from '@slack/bolt';
import { HISTORY_SIZE, type Intent } from '../../../conversation/index.js';
import type { SlackContext } from '../context.js';
import { homeView } from '../render/home.js';
import { handleSlack } from '../interaction.js';
import { ACTION } from '../render/ids.js';
import { slackUserKey } from '../target.js';
import { slackActor } from '../actor.js';
import { OPEN_FORM } from './generate-modal.js';
import { askConversation, homeEvent, registerWorkspaceControls } from './workspace-controls.js';

export async function publishHome(
  context: SlackContext,
  teamId: string,
  userId: string,
): Promise<void> {
  const key = slackUserKey(teamId, userId);
  const ask = (intent: Intent) => askConversation(context, homeEvent(teamId, userId), intent);
  const locale = await context.locales.of(userId);
  const admin = await slackActor(context, teamId, userId).mayAdminister();
  // The workspace's pools as /imagine quota shows them; for admins, the settings too.
  const [status, recent, quota, controls] = await Promise.all([
    context.service.status(key),
    context.service.history(key, HISTORY_SIZE),
    ask({ kind: 'quota' }),
    admin ? ask({ kind: 'settings' }) : undefined,
  ]);
  const pools = quota?.kind === 'quota' ? quota.serverPools : [];
  await context.slack.web.views.publish({
    user_id: userId,
    view: homeView(status, recent, { pools, ...(controls ? { controls } : {}) }, locale),
  });
}

/**
 * The App Home tab, rebuilt whenever the user opens it (and after an admin saves the settings),
 * so it is never stale.
 */
export function registerAppHome(app: App, context: SlackContext): void {
  const republish = async (teamId: string, userId: string) => {
    try {
      await publishHome(context, teamId, userId);
    } catch (error) {
      context.logger.warn({ user: userId, err: error }, 'could not publish App Home');
    }
  };
  registerWorkspaceControls(app, context, republish);
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await republish((body as { team_id?: string }).team_id ?? '', event.user);
  });

  app.action(ACTION.openModal, async ({ ack, body }) => {
    await ack();
    const event = {
      id: (body as { trigger_id: string }).trigger_id,
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      receivedAt: Date.now(),
    };
    await handleSlack(context, event, OPEN_FORM);
  });
}
