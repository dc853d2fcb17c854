import { UserError } from '../../core/errors.js';
import type { JobRecord } from '../../core/types.js';
import type { PlaygroundContext } from './context.js';
import { findChannel, playgroundUserKey, type PlaygroundUser } from './people.js';
import { imageUrlFor, jobCard } from './render.js';
import { newMessageId, type ChatMessage, type JobCard } from './room.js';
import { startGeneration } from './start-generation.js';

export interface ButtonClick {
  user: PlaygroundUser;
  action: 'reroll' | 'delete' | 'share';
  messageId: string;
  /** The page's id for this click; Reroll uses it as the new generation's request id. */
  requestId: string;
  /** Share: where to. */
  channelId?: string;
}

interface ClickedCard {
  message: ChatMessage;
  card: JobCard;
  job: JobRecord;
}

async function clickedCard(context: PlaygroundContext, click: ButtonClick): Promise<ClickedCard> {
  const message = context.room.get(click.messageId);
  const visible = message && (!message.visibleTo || message.visibleTo === click.user.id);
  if (!visible || message.body.type !== 'job') throw new UserError('generation_not_found');
  const job = await context.service.jobs.get(message.body.requestId);
  if (!job) throw new UserError('generation_not_found');
  return { message, card: message.body, job };
}

/** The same prompt and options again, charged to whoever clicked, in the channel clicked in. */
async function reroll(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  const { message, job } = await clickedCard(context, click);
  await startGeneration(context, {
    requestId: click.requestId,
    user: click.user,
    channelId: message.channelId,
    prompt: job.prompt,
    options: job.options,
  });
}

/** The requester (or whoever shared this copy) may delete it, and so may a moderator. */
async function remove(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  const { message, card, job } = await clickedCard(context, click);
  const own =
    job.user.key === playgroundUserKey(click.user.id) || card.sharedBy === click.user.name;
  if (!own && click.user.role !== 'moderator')
    throw new UserError('playground_not_allowed_to_delete');
  context.room.remove(message.id);
  context.logger.info({ requestId: job.requestId, by: click.user.id }, 'image deleted');
}

/** A copy in the other channel, saying who shared it; the original stays where it was. */
async function share(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  const { message, job } = await clickedCard(context, click);
  const channel = findChannel(click.channelId);
  if (!channel || channel.id === message.channelId) throw new UserError('generation_not_found');
  if (job.outcome?.kind !== 'success') throw new UserError('playground_nothing_to_share');
  const view = {
    kind: 'done' as const,
    imageUrls: job.outcome.imageUrls,
    costTimeMs: job.outcome.costTimeMs,
    elapsedMs: (job.finishedAt ?? job.updatedAt) - job.createdAt,
  };
  context.room.upsert({
    id: newMessageId(),
    channelId: channel.id,
    body: jobCard(job, view, {
      simulated: context.simulated,
      channelId: channel.id,
      imageUrl: imageUrlFor(job.requestId),
      sharedBy: click.user.name,
    }),
  });
  context.logger.info(
    { requestId: job.requestId, channel: channel.id, by: click.user.id },
    'image shared',
  );
}

export function clickButton(context: PlaygroundContext, click: ButtonClick): Promise<void> {
  switch (click.action) {
    case 'reroll':
      return reroll(context, click);
    case 'delete':
      return remove(context, click);
    case 'share':
      return share(context, click);
  }
}
