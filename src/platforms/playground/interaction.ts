import { refusal, type Actor, type Intent, type Interaction } from '../../conversation/index.js';
import type { SourceInput } from '../../conversation/interaction.js';
import { isUserError, type UserError } from '../../core/errors.js';
import { parseGenerationText } from '../../core/option-text.js';
import { translate, type Locale } from '../../i18n/index.js';
import { playgroundAnswer, type Audience } from './answer.js';
import type { PlaygroundContext } from './context.js';
import { PLAYGROUND_PLATFORM } from './paths.js';
import {
  findChannel,
  PLAYGROUND_CHANNELS,
  playgroundUserKey,
  type PlaygroundUser,
} from './people.js';
import { canSee, newMessageId, type CardActionKind, type ImagePostBody } from './room.js';
import { uploadUrlFor } from './uploads.js';

/** A line typed into the message box. */
export interface TypedLine {
  user: PlaygroundUser;
  channelId: string;
  /** The page's id for this submit: the request id of the generation it may start. */
  requestId: string;
  /** The page's language: every answer to this line speaks it. */
  locale: Locale;
  text: string;
  /** Images attached or pasted beside the message (upload ids, in order). */
  attachments?: string[];
}

/** A button pressed on a card. */
export interface ButtonClick {
  user: PlaygroundUser;
  action: CardActionKind | 'edit-image';
  messageId: string;
  /** The page's id for this click: Reroll's new generation uses it as its request id. */
  requestId: string;
  locale: Locale;
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
    locale: audience.locale,
    intent,
    answer: playgroundAnswer(context, audience),
  };
}

/** Typed text goes to the conversation's one grammar (`/imagine …`, `/quota`, …). */
export function handleTypedLine(context: PlaygroundContext, line: TypedLine): Promise<void> {
  const audience = { user: line.user, channelId: line.channelId, locale: line.locale };
  if (line.attachments?.length && line.text.trim() === '') return postImages(context, line);
  if (line.attachments?.length) return sendWithImages(context, line, audience);
  const intent: Intent = { kind: 'command-text', text: line.text, afterCommand: false };
  return context.conversation.handle(interactionOf(context, line.requestId, audience, intent));
}

/** Images sent without a prompt are simply posted, like a photo in a chat; Edit image edits them. */
function postImages(context: PlaygroundContext, line: TypedLine): Promise<void> {
  const images = (line.attachments ?? []).flatMap((upload) => {
    const source = context.uploads.sourceOf(upload);
    const name = source?.name ?? translate(line.locale, 'playground.upload.image');
    return source ? [{ upload, name, url: uploadUrlFor(upload) }] : [];
  });
  if (images.length > 0)
    context.room.upsert({
      id: newMessageId(),
      channelId: line.channelId,
      body: { type: 'post', author: line.user.name, images },
    });
  return Promise.resolve();
}

/**
 * "Edit image" on posted images: every one of them, as files of the message. One opens the
 * form; several ask which first (the conversation decides).
 */
function editImageIntent(context: PlaygroundContext, post: ImagePostBody): Intent {
  const files = post.images.map(
    (image) =>
      context.uploads.sourceOf(image.upload) ?? {
        url: `upload:${image.upload}`,
        name: image.name,
        private: true,
      },
  );
  return { kind: 'edit-image', files };
}

/**
 * An attached file the playground would not keep (not an image, too large): refused at once in
 * the channel, privately and in the same words as a refused source on any platform.
 */
export function refuseUpload(
  context: PlaygroundContext,
  upload: {
    user: PlaygroundUser;
    channelId: string;
    requestId: string;
    name: string;
    locale: Locale;
  },
  error: UserError,
): Promise<void> {
  const audience = { user: upload.user, channelId: upload.channelId, locale: upload.locale };
  const intent: Intent = {
    kind: 'imagine',
    input: { prompt: '' },
    sources: [{ url: 'upload:', name: upload.name, private: true }],
  };
  return context.conversation.refuse(
    interactionOf(context, upload.requestId, audience, intent),
    error,
  );
}

/** Sends remembered (thumbnails of uploads, edit steps sent): the oldest are forgotten first. */
const MAX_REMEMBERED = 500;

/**
 * A message with images attached: the text is the prompt (with or without `/imagine`, with the
 * usual flags) of a generation that starts from those images. An upload no longer kept is
 * refused like a source that cannot be fetched.
 */
function sendWithImages(
  context: PlaygroundContext,
  line: TypedLine,
  audience: Audience,
): Promise<void> {
  const text = line.text.trim().replace(/^\/imagine(?:\s+|$)/i, '');
  const interaction = (intent: Intent) => interactionOf(context, line.requestId, audience, intent);
  const attachments = line.attachments ?? [];
  const sources: SourceInput[] = [];
  for (const id of attachments) {
    const source = context.uploads.sourceOf(id);
    if (!source)
      return context.conversation.refuse(
        interaction({ kind: 'imagine', input: { prompt: text } }),
        refusal('source_unreachable', {
          name: translate(line.locale, 'playground.upload.name'),
          reason: translate(line.locale, 'playground.upload.forgotten'),
        }),
      );
    sources.push(source);
  }
  let input;
  try {
    input = parseGenerationText(text);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return context.conversation.refuse(
      interaction({ kind: 'imagine', input: { prompt: text } }),
      error,
    );
  }
  const { prompt, options } = input;
  remember(context.sentUploads, line.requestId, attachments);
  return context.conversation.handle(
    interaction({ kind: 'imagine', input: { ...options, prompt }, sources }),
  );
}

/** Kept per request id for a while (the page's recent sends); the oldest are forgotten first. */
function remember<T>(sent: Map<string, T>, requestId: string, value: T): void {
  sent.set(requestId, value);
  for (const oldest of sent.keys()) {
    if (sent.size <= MAX_REMEMBERED) break;
    sent.delete(oldest);
  }
}

/**
 * A click names a card; the card names the generation. A card the clicker cannot see (someone
 * else's private one, or one gone meanwhile) is refused as a generation the bot does not know.
 */
export function handleClick(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  const message = context.room.get(click.messageId);
  const visible = message && canSee(message, click.user.id) ? message : undefined;
  if (click.action === 'edit-image') {
    const audience = {
      user: click.user,
      channelId: message?.channelId ?? PLAYGROUND_CHANNELS[0]!.id,
      locale: click.locale,
    };
    const post = visible?.body.type === 'post' ? visible.body : undefined;
    const interaction = interactionOf(
      context,
      click.requestId,
      audience,
      post ? editImageIntent(context, post) : { kind: 'edit-image', files: [] },
    );
    return context.conversation.handle(interaction);
  }
  const card = visible?.body.type === 'job' ? visible.body : undefined;
  const channelId = message?.channelId ?? PLAYGROUND_CHANNELS[0]!.id;
  const audience: Audience = {
    user: click.user,
    channelId,
    locale: click.locale,
    ...(card && visible ? { actedOn: visible } : {}),
  };
  const of = card?.requestId ?? click.messageId;
  const to = click.channelId ?? otherChannel(channelId);
  const intent: Intent =
    click.action === 'delete'
      ? { kind: 'delete', of, sharedByActor: card?.sharedBy === click.user.name }
      : click.action === 'share'
        ? { kind: 'share', of, ...(to ? { to } : {}) }
        : { kind: click.action, of };
  const interaction = interactionOf(context, click.requestId, audience, intent);
  return card
    ? context.conversation.handle(interaction)
    : context.conversation.refuse(interaction, refusal('generation_not_found'));
}

/** The edit form sent (with what to change) or cancelled; the picker's choice. */
export interface EditStep {
  user: PlaygroundUser;
  /** The form's or the picker's message. */
  messageId: string;
  requestId: string;
  locale: Locale;
  prompt?: string;
  choice?: number;
  cancel?: boolean;
}

/**
 * A step of an edit: the form or the picker is a private message of the actor; sending it (or
 * picking) answers the conversation, and the message goes away. A form that is gone (sent
 * already, or the chat restarted) is refused as an edit that expired.
 */
export function handleEditStep(context: PlaygroundContext, step: EditStep): Promise<void> {
  const message = context.room.get(step.messageId);
  const mine = message && message.visibleTo === step.user.id ? message : undefined;
  const body = mine?.body;
  const audience: Audience = {
    user: step.user,
    channelId: message?.channelId ?? PLAYGROUND_CHANNELS[0]!.id,
    locale: step.locale,
  };
  const intentOf = (): Intent | undefined => {
    if (body?.type === 'edit-form')
      return 'result' in body.of
        ? { kind: 'edit', of: body.of.result, prompt: step.prompt ?? '' }
        : { kind: 'edit-draft', draft: body.of.draft, prompt: step.prompt ?? '' };
    if (body?.type === 'source-pick')
      return { kind: 'edit-draft', draft: body.draft, choice: step.choice ?? 0 };
    // Sent twice (a double click, a resend): the same step again, which starts nothing more.
    return context.sentSteps.get(step.requestId);
  };
  const intent = intentOf();
  if (mine && (step.cancel || intent)) context.room.remove(mine.id);
  if (step.cancel) return Promise.resolve();
  if (intent && mine) remember(context.sentSteps, step.requestId, intent);
  const interaction = interactionOf(
    context,
    step.requestId,
    audience,
    intent ?? { kind: 'edit-draft', draft: step.messageId },
  );
  return intent
    ? context.conversation.handle(interaction)
    : context.conversation.refuse(interaction, refusal('edit_draft_expired'));
}

/** Share without a destination: the page offers the one other channel. */
function otherChannel(channelId: string): string | undefined {
  return PLAYGROUND_CHANNELS.find((channel) => channel.id !== channelId)?.id;
}
