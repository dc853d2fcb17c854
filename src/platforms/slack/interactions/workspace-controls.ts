import { randomUUID } from 'node:crypto';
import type { App, BlockAction, ViewOutput } from '@slack/bolt';
import type { ConversationView, Intent } from '../../../conversation/index.js';
import { SlackAnswer } from '../answer.js';
import type { SlackContext } from '../context.js';
import { handleSlack, localized, submitterOf, type SlackEvent } from '../interaction.js';
import { ACTION, SETTINGS_FIELD, VIEW } from '../render/ids.js';
import { settingsModal } from '../render/settings-modal.js';
import {
  changesMade,
  formOf,
  readForm,
  type FormValues,
  type SettingsForm,
} from '../settings-form.js';

/** An answer kept for the adapter to show its own way (App Home's controls, the settings form). */
class KeptAnswer extends SlackAnswer {
  view: ConversationView | undefined;

  override privately(view: ConversationView): Promise<void> {
    this.view = view;
    return Promise.resolve();
  }
}

/**
 * What the conversation answers `intent` with, not shown: the conversation still decides (and
 * refuses a non-admin), and the view comes back here. Undefined when it answered nothing.
 */
export async function askConversation(
  context: SlackContext,
  event: SlackEvent,
  intent: Intent,
): Promise<ConversationView | undefined> {
  const located = await localized(context, event);
  const kept = new KeptAnswer(context, located);
  await handleSlack(context, located, intent, kept);
  return kept.view;
}

/** Someone acting in App Home, which has no channel: private answers go to their DM. */
export function homeEvent(teamId: string, userId: string, id = `home:${randomUUID()}`): SlackEvent {
  return { id, teamId, userId, receivedAt: Date.now() };
}

function clicker(body: BlockAction): SlackEvent {
  return homeEvent(body.team?.id ?? body.user.team_id ?? '', body.user.id, body.trigger_id);
}

/** A view that is not what was asked for (a refusal) is shown privately, in their language. */
async function showInstead(
  context: SlackContext,
  event: SlackEvent,
  view: ConversationView | undefined,
): Promise<void> {
  if (view) await new SlackAnswer(context, await localized(context, event)).privately(view);
}

/**
 * App Home's admin buttons and the settings form. Each goes through the conversation, which
 * checks that the person administers the workspace, so a forged click from anyone else is refused.
 */
export function registerWorkspaceControls(
  app: App,
  context: SlackContext,
  republish: (teamId: string, userId: string) => Promise<void>,
): void {
  app.action<BlockAction>(ACTION.editSettings, async ({ ack, body }) => {
    await ack();
    const event = await localized(context, clicker(body));
    const view = await askConversation(context, event, { kind: 'settings' });
    if (view?.kind !== 'settings') return showInstead(context, event, view);
    // The trigger lasts 3 s: the settings read is one store call (the language is cached).
    try {
      await context.slack.web.views.open({
        trigger_id: event.id,
        view: settingsModal(view, event.locale),
      });
    } catch (error) {
      context.logger.warn(
        { user: event.userId, err: error },
        'settings form not opened: Slack refused it or the click expired (3 s); the admin can click again',
      );
    }
  });

  app.action<BlockAction>(ACTION.usageReport, async ({ ack, body }) => {
    await ack();
    await handleSlack(context, clicker(body), { kind: 'usage' });
  });

  app.action<BlockAction>(ACTION.exportCsv, async ({ ack, body }) => {
    await ack();
    await handleSlack(context, clicker(body), { kind: 'export' });
  });

  app.view(VIEW.settings, async ({ ack, body, view }) => {
    const values = view.state.values as FormValues;
    // A mistake is shown under its field within the 3 s window, in the admin's (cached) language.
    const locale = await context.locales.of(body.user.id);
    const read = readForm(values, values[SETTINGS_FIELD.blocklist] !== undefined, locale);
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    await ack();
    const event = submitterOf(body, view);
    await saveForm(context, event, shownIn(view), read.form);
    await republish(event.teamId, event.userId);
  });
}

function shownIn(view: ViewOutput): Partial<SettingsForm> | undefined {
  try {
    return JSON.parse(view.private_metadata) as Partial<SettingsForm>;
  } catch {
    return undefined;
  }
}

/** Applies each change the admin made, one at a time; a refusal stops there and is shown. */
async function saveForm(
  context: SlackContext,
  event: SlackEvent,
  shown: Partial<SettingsForm> | undefined,
  sent: SettingsForm,
): Promise<void> {
  const current = await askConversation(context, event, { kind: 'settings' });
  if (current?.kind !== 'settings') return showInstead(context, event, current);
  const before: SettingsForm = { ...formOf(current.settings), ...shown };
  if (!shown?.blocklist) delete before.blocklist;
  const changes = changesMade(before, sent, current.settings);
  for (const [index, change] of changes.entries()) {
    const step = { ...event, id: `${event.id}:${index}` };
    const saved = await askConversation(context, step, { kind: 'settings', change });
    if (saved?.kind !== 'settings') return showInstead(context, step, saved);
  }
}
