import { refusal, type Actor, type Intent, type Interaction } from '../../conversation/index.js';
import { playgroundAnswer, type Audience } from './answer.js';
import type { PlaygroundContext } from './context.js';
import { PLAYGROUND_PLATFORM } from './paths.js';
import {
  findChannel,
  PLAYGROUND_CHANNELS,
  playgroundUserKey,
  type PlaygroundUser,
} from './people.js';
import { canSee } from './room.js';

/** A line typed into the message box. */
export interface TypedLine {
  user: PlaygroundUser;
  channelId: string;
  /** The page's id for this submit: the request id of the generation it may start. */
  requestId: string;
  text: string;
}

/** A button pressed on a card. */
export interface ButtonClick {
  user: PlaygroundUser;
  action: 'reroll' | 'retry' | 'delete' | 'share';
  messageId: string;
  /** The page's id for this click: Reroll's new generation uses it as its request id. */
  requestId: string;
  /** Share: where to. */
  channelId?: string;
}

/** The pretend users' roles, as capabilities: a moderator moderates and administers. */
function actorOf(user: PlaygroundUser): Actor {
  const moderator = Promise.resolve(user.role === 'moderator');
  return {
    key: playgroundUserKey(user.id),
    id: user.id,
    displayName: user.name,
    mayModerate: () => moderator,
    mayAdminister: () => moderator,
    // Everyone may post in every channel of the playground.
    mayPostIn: (channelId) => Promise.resolve(findChannel(channelId) !== undefined),
  };
}

function interactionOf(
  context: PlaygroundContext,
  id: string,
  audience: Audience,
  intent: Intent,
): Interaction {
  return {
    id,
    actor: actorOf(audience.user),
    // The playground is one pretend server, so its moderator may use the admin commands.
    place: {
      platform: PLAYGROUND_PLATFORM,
      workspaceId: PLAYGROUND_PLATFORM,
      channelId: audience.channelId,
      direct: false,
    },
    intent,
    answer: playgroundAnswer(context, audience),
  };
}

/** Typed text goes to the conversation's one grammar (`/imagine …`, `/quota`, …). */
export function handleTypedLine(context: PlaygroundContext, line: TypedLine): Promise<void> {
  const intent: Intent = { kind: 'command-text', text: line.text, afterCommand: false };
  const audience = { user: line.user, channelId: line.channelId };
  return context.conversation.handle(interactionOf(context, line.requestId, audience, intent));
}

/**
 * A click names a card; the card names the generation. A card the clicker cannot see (someone
 * else's private one, or one gone meanwhile) is refused as a generation the bot does not know.
 */
export function handleClick(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  const message = context.room.get(click.messageId);
  const visible = message && canSee(message, click.user.id) ? message : undefined;
  const card = visible?.body.type === 'job' ? visible.body : undefined;
  const channelId = message?.channelId ?? PLAYGROUND_CHANNELS[0]!.id;
  const audience: Audience = {
    user: click.user,
    channelId,
    ...(card && visible ? { actedOn: visible } : {}),
  };
  const of = card?.requestId ?? click.messageId;
  const to = click.channelId ?? otherChannel(channelId);
  const intent: Intent =
    click.action === 'delete'
      ? { kind: 'delete', of, sharedByActor: card?.sharedBy === click.user.name }
      : click.action === 'share'
        ? { kind: 'share', of, ...(to ? { to } : {}) }
        : click.action === 'retry'
          ? { kind: 'retry', of }
          : { kind: 'reroll', of };
  const interaction = interactionOf(context, click.requestId, audience, intent);
  return card
    ? context.conversation.handle(interaction)
    : context.conversation.refuse(interaction, refusal('generation_not_found'));
}

/** Share without a destination: the page offers the one other channel. */
function otherChannel(channelId: string): string | undefined {
  return PLAYGROUND_CHANNELS.find((channel) => channel.id !== channelId)?.id;
}
