import type { SlackViewAction, ViewOutput } from '@slack/bolt';
import type { Answer, Intent, Interaction } from '../../conversation/index.js';
import type { Locale } from '../../i18n/index.js';
import { slackActor } from './actor.js';
import { SlackAnswer } from './answer.js';
import type { SlackContext } from './context.js';
import type { ButtonValue } from './render/ids.js';
import { SLACK_PLATFORM } from './target.js';

/** The message a button was clicked on. */
export interface ActedOn {
  value: ButtonValue;
  channelId?: string;
  ts?: string;
  /** An ephemeral note (a private result's): only its viewer sees it, and it cannot be deleted. */
  ephemeral: boolean;
}

/** What a Slack payload says about who acted, where, and how to answer them. */
export interface SlackEvent {
  /** The payload's trigger_id: keys any generation it starts (X-Request-ID) and opens modals. */
  id: string;
  teamId: string;
  userId: string;
  userName?: string;
  /** The conversation the person acted in, for ephemeral answers; absent for modals and App Home. */
  channelId?: string;
  /** Where a new generation's result goes for everyone to see; absent: privately, to the DM. */
  resultChannelId?: string;
  responseUrl?: string;
  receivedAt: number;
  actedOn?: ActedOn;
  /** The modal the person acted in (a button in the image picker): a next step replaces it. */
  viewId?: string;
  /**
   * The thread the person acted in (a message shortcut or button on a reply, or a modal opened
   * from one): what they start is answered in that thread. Slash commands never say.
   */
  threadTs?: string;
  /** The person's language; resolved (users.info, cached) before the conversation sees the event. */
  locale?: Locale;
}

/** The event with the person's language: Slack's word for it, else DEFAULT_LOCALE. */
export async function localized(
  context: SlackContext,
  event: SlackEvent,
): Promise<SlackEvent & { locale: Locale }> {
  if (event.locale) return { ...event, locale: event.locale };
  return { ...event, locale: await context.locales.of(event.userId) };
}

/** A Slack event as the conversation reads it; its answers go back through Slack. */
async function withoutIntent(
  context: SlackContext,
  unlocalized: SlackEvent,
  answer?: Answer,
): Promise<Omit<Interaction, 'intent'>> {
  const event = await localized(context, unlocalized);
  const channelId = event.resultChannelId ?? event.channelId;
  return {
    id: event.id,
    locale: event.locale,
    actor: slackActor(context, event.teamId, event.userId, event.userName),
    place: {
      platform: SLACK_PLATFORM,
      ...(event.teamId ? { workspaceId: event.teamId } : {}),
      ...(channelId ? { channelId } : {}),
      direct: channelId?.startsWith('D') ?? false,
    },
    // Rerolled from a private note: the new one stays private too.
    ...(event.actedOn?.ephemeral ? { private: true } : {}),
    answer: answer ?? new SlackAnswer(context, event),
  };
}

/**
 * Hands a Slack event to the conversation, which answers and reports every error itself; through
 * `answer` when the adapter wants the view itself (App Home builds its controls from it).
 */
export async function handleSlack(
  context: SlackContext,
  event: SlackEvent,
  intent: Intent,
  answer?: Answer,
): Promise<void> {
  await context.conversation.handle({ ...(await withoutIntent(context, event, answer)), intent });
}

/** An event that names nothing this version knows (a button or modal of an older one). */
export async function failSlack(
  context: SlackContext,
  event: SlackEvent,
  what: string,
): Promise<void> {
  await context.conversation.fail(
    await withoutIntent(context, event),
    new Error(`unreadable ${what}`),
  );
}

/** Who submitted a modal; the submission's trigger_id keys what it starts (the view's hash if absent). */
export function submitterOf(body: SlackViewAction, view: ViewOutput): SlackEvent {
  return {
    id: (body as { trigger_id?: string }).trigger_id ?? `${view.id}:${view.hash}`,
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    userName: body.user.name,
    receivedAt: Date.now(),
  };
}
