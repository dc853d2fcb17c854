import type { Answer, PendingGeneration, StatusPlacement } from '../../conversation/index.js';
import type { EditForm } from '../../conversation/answer.js';
import type { SourceInput } from '../../conversation/interaction.js';
import type { JobRecord } from '../../core/types.js';
import { translate, translator, type Locale } from '../../i18n/index.js';
import type { PlaygroundContext } from './context.js';
import { noticeOf } from './notices.js';
import { PLAYGROUND_PLATFORM } from './paths.js';
import type { PlaygroundUser } from './people.js';
import { imageUrlFor, jobCard, quotedPrompt } from './render.js';
import { newMessageId, type ChatMessage, type EditFormBody } from './room.js';
import type { PlaygroundTarget } from './target.js';
import { thumbnailsOf } from './thumbnails.js';
import { uploadIdOf, uploadUrlFor } from './uploads.js';

/** Who acted, in which channel, and on which card (a button click). */
export interface Audience {
  user: PlaygroundUser;
  channelId: string;
  /** The page's language: private answers, the status card and a shared copy speak it. */
  locale: Locale;
  actedOn?: ChatMessage;
}

/**
 * How the playground answers one interaction: private replies are cards only the actor sees, in
 * the channel they acted in; a new generation's status is its card; a share is a copy card.
 */
export function playgroundAnswer(context: PlaygroundContext, audience: Audience): Answer {
  const { room, simulated } = context;
  const privateMessage = (body: ChatMessage['body']) =>
    room.upsert({
      id: newMessageId(),
      channelId: audience.channelId,
      visibleTo: audience.user.id,
      body,
    });
  return {
    openEditForm(form: EditForm) {
      privateMessage(editFormOf(form, context, audience.locale));
      return Promise.resolve();
    },
    pickSource(draft: string, images: SourceInput[]) {
      privateMessage({
        type: 'source-pick',
        draft,
        images: images.map((image) => shownImage(image, audience.locale)),
      });
      return Promise.resolve();
    },
    privately(view) {
      const body = noticeOf(view, (file) => context.files.keep(file), audience.locale);
      if (body) privateMessage(body);
      return Promise.resolve();
    },

    placeStatus(generation: PendingGeneration): Promise<StatusPlacement> {
      const target: PlaygroundTarget = {
        platform: PLAYGROUND_PLATFORM,
        channelId: audience.channelId,
        userId: audience.user.id,
        messageId: newMessageId(),
        private: generation.options.private,
        locale: audience.locale,
      };
      room.upsert({
        id: target.messageId,
        channelId: target.channelId,
        ...(target.private ? { visibleTo: target.userId } : {}),
        body: jobCard(
          generation,
          { kind: 'queued', position: null },
          {
            simulated,
            locale: audience.locale,
            channelId: target.channelId,
            sources: thumbnailsOf(generation, context, audience.locale),
          },
        ),
      });
      const withdraw = () => {
        room.remove(target.messageId);
        return Promise.resolve();
      };
      return Promise.resolve({ target, withdraw });
    },

    async postShared(job: JobRecord, to: string) {
      // The conversation shares finished results only.
      if (job.outcome?.kind !== 'success') return;
      const { imageUrls, costTimeMs } = job.outcome;
      // Kept since it was shown, unless the shelf made room since: fetched again, or refused.
      await context.images.fetchOnce(job.requestId, imageUrls[0] ?? '', context.fetcher);
      const elapsedMs = (job.finishedAt ?? job.updatedAt) - job.createdAt;
      room.upsert({
        id: newMessageId(),
        channelId: to,
        body: jobCard(
          job,
          { kind: 'done', imageUrls, costTimeMs, elapsedMs },
          {
            simulated,
            locale: audience.locale,
            channelId: to,
            imageUrl: imageUrlFor(job.requestId),
            sharedBy: audience.user.name,
            sources: thumbnailsOf(job, context, audience.locale),
          },
        ),
      });
    },

    removeActedOn() {
      if (audience.actedOn) room.remove(audience.actedOn.id);
      return Promise.resolve();
    },
  };
}

/** An image of a message as the form and the picker show it: its name, and a thumbnail if ours. */
function shownImage(image: SourceInput, locale: Locale): { name: string; url?: string } {
  const upload = uploadIdOf(image.url);
  return {
    name: image.name ?? translate(locale, 'playground.upload.image'),
    ...(upload ? { url: uploadUrlFor(upload) } : {}),
  };
}

function editFormOf(form: EditForm, context: PlaygroundContext, locale: Locale): EditFormBody {
  const costText = (cost: number) => translator(locale)('playground.edit.cost', { count: cost });
  if (form.kind === 'draft')
    return {
      type: 'edit-form',
      of: { draft: form.draft },
      image: shownImage(form.image, locale),
      cost: costText(form.cost),
    };
  return {
    type: 'edit-form',
    of: { result: form.of },
    image: {
      name: quotedPrompt(form.job.prompt, locale),
      ...(context.images.has(form.of) ? { url: imageUrlFor(form.of) } : {}),
    },
    cost: costText(form.cost),
  };
}
