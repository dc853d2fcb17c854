import type { GenerationOptions } from '../../core/options.js';
import { startOnce } from '../start-once.js';
import type { PlaygroundContext } from './context.js';
import { PLAYGROUND_PLATFORM } from './paths.js';
import { userRef, type PlaygroundUser } from './people.js';
import { jobCard } from './render.js';
import { newMessageId } from './room.js';
import type { PlaygroundTarget } from './target.js';

export interface GenerationStart {
  /** From the page's own id for this submit or click: a repeated send never charges twice. */
  requestId: string;
  user: PlaygroundUser;
  channelId: string;
  prompt: string;
  options: GenerationOptions;
}

/**
 * Posts the status card at once, then hands the request to core, which edits the card from there.
 * Throws a UserError (quota, validation) with the card taken away again.
 */
export async function startGeneration(
  context: PlaygroundContext,
  start: GenerationStart,
): Promise<void> {
  await startOnce(context.startsInFlight, context.service.jobs, start.requestId, () =>
    startNew(context, start),
  );
}

async function startNew(context: PlaygroundContext, start: GenerationStart): Promise<void> {
  const { service, room } = context;
  const target: PlaygroundTarget = {
    platform: PLAYGROUND_PLATFORM,
    channelId: start.channelId,
    userId: start.user.id,
    messageId: newMessageId(),
    private: start.options.private,
  };
  const user = userRef(start.user);
  // Refuse before the card appears, so a refused request never flashes a status card.
  await service.preflight(user.key, { prompt: start.prompt, options: start.options });
  room.upsert({
    id: target.messageId,
    channelId: target.channelId,
    ...(target.private ? { visibleTo: target.userId } : {}),
    body: jobCard(
      { ...start, user, createdAt: Date.now() },
      { kind: 'queued', position: null },
      { simulated: context.simulated, channelId: target.channelId },
    ),
  });
  try {
    const { duplicate } = await service.request({
      requestId: start.requestId,
      user,
      prompt: start.prompt,
      options: start.options,
      target,
    });
    if (duplicate) room.remove(target.messageId);
  } catch (error) {
    room.remove(target.messageId);
    throw error;
  }
}
