import type { SlackViewAction, ViewOutput } from '@slack/bolt';
import type { Answer, Intent, Interaction } from '../../conversation/index.js';
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
}

/** A Slack event as the conversation reads it; its answers go back through Slack. */
function withoutIntent(
  context: SlackContext,
  event: SlackEvent,
  answer: Answer = new SlackAnswer(context, event),
): Omit<Interaction, 'intent'> {
  const channelId = event.resultChannelId ?? event.channelId;
  return {
    id: event.id,
    actor: slackActor(context, event.teamId, event.userId, event.userName),
    place: {
      platform: SLACK_PLATFORM,
      ...(event.teamId ? { workspaceId: event.teamId } : {}),
      ...(channelId ? { channelId } : {}),
      direct: channelId?.startsWith('D') ?? false,
    },
    // Rerolled from a private note: the new one stays private too.
    ...(event.actedOn?.ephemeral ? { private: true } : {}),
    answer,
  };
}

/**
 * Hands a Slack event to the conversation, which answers and reports every error itself; through
 * `answer` when the adapter wants the view itself (App Home builds its controls from it).
 */
export function handleSlack(
  context: SlackContext,
  event: SlackEvent,
  intent: Intent,
  answer?: Answer,
): Promise<void> {
  return context.conversation.handle({ ...withoutIntent(context, event, answer), intent });
}

/** An event that names nothing this version knows (a button or modal of an older one). */
export function failSlack(context: SlackContext, event: SlackEvent, what: string): Promise<void> {
  return context.conversation.fail(withoutIntent(context, event), new Error(`unreadable ${what}`));
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
