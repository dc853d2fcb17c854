import type { App } from '@slack/bolt';
import { HISTORY_SIZE } from '../../../conversation/index.js';
import type { SlackContext } from '../context.js';
import { homeView } from '../render/home.js';
import { handleSlack } from '../interaction.js';
import { ACTION } from '../render/ids.js';
import { slackUserKey } from '../target.js';
import { OPEN_FORM } from './generate-modal.js';

export async function publishHome(
  context: SlackContext,
  teamId: string,
  userId: string,
): Promise<void> {
  const key = slackUserKey(teamId, userId);
  const [status, recent] = await Promise.all([
    context.service.status(key),
    context.service.history(key, HISTORY_SIZE),
  ]);
  await context.slack.web.views.publish({ user_id: userId, view: homeView(status, recent) });
}

/** The App Home tab, rebuilt whenever the user opens it, so it is never stale. */
export function registerAppHome(app: App, context: SlackContext): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    try {
      await publishHome(context, teamId, event.user);
    } catch (error) {
      context.logger.warn({ user: event.user, err: error }, 'could not publish App Home');
    }
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
