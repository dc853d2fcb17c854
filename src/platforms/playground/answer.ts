import type { Answer, PendingGeneration, StatusPlacement } from '../../conversation/index.js';
import type { JobRecord } from '../../core/types.js';
import type { PlaygroundContext } from './context.js';
import { noticeOf } from './notices.js';
import { PLAYGROUND_PLATFORM } from './paths.js';
import type { PlaygroundUser } from './people.js';
import { imageUrlFor, jobCard } from './render.js';
import { newMessageId, type ChatMessage } from './room.js';
import type { PlaygroundTarget } from './target.js';

/** Who acted, in which channel, and on which card (a button click). */
export interface Audience {
  user: PlaygroundUser;
  channelId: string;
  actedOn?: ChatMessage;
}

/**
 * How the playground answers one interaction: private replies are cards only the actor sees, in
 * the channel they acted in; a new generation's status is its card; a share is a copy card.
 */
export function playgroundAnswer(context: PlaygroundContext, audience: Audience): Answer {
  const { room, simulated } = context;
  return {
    // Placeholder until this platform's edit form is built (issue 12).
    openEditForm: () => Promise.reject(new Error('the edit form is not built yet')),
    pickSource: () => Promise.reject(new Error('the image picker is not built yet')),
    privately(view) {
      const body = noticeOf(view);
      if (body)
        room.upsert({
          id: newMessageId(),
          channelId: audience.channelId,
          visibleTo: audience.user.id,
          body,
        });
      return Promise.resolve();
    },

    placeStatus(generation: PendingGeneration): Promise<StatusPlacement> {
      const target: PlaygroundTarget = {
        platform: PLAYGROUND_PLATFORM,
        channelId: audience.channelId,
        userId: audience.user.id,
        messageId: newMessageId(),
        private: generation.options.private,
      };
      room.upsert({
        id: target.messageId,
        channelId: target.channelId,
        ...(target.private ? { visibleTo: target.userId } : {}),
        body: jobCard(
          generation,
          { kind: 'queued', position: null },
          { simulated, channelId: target.channelId },
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
            channelId: to,
            imageUrl: imageUrlFor(job.requestId),
            sharedBy: audience.user.name,
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
