import { createHash } from 'node:crypto';
import { Routes, SnowflakeUtil, type APIMessage, type REST } from 'discord.js';
import type { JobView } from '../../core/types.js';
import { isTargetGone } from './api-errors.js';
import { customId } from './custom-id.js';
import type { DiscordTarget } from './target.js';

/** The ways a final view reaches the requester, in the order they are tried. */
export type Route = 'original' | 'channel-edit' | 'channel-post' | 'dm';

/**
 * What the Discord delivery records in the job before it tries each way, so a process resuming
 * after a crash knows which call may have landed and looks before sending it again.
 */
export interface DiscordSteps {
  route?: Route;
  /** When that way was tried, to find a message it created. */
  routeAt?: number;
}

/** Discord's nonce: at most 25 characters, one per job and way, the same on every attempt. */
export function nonceFor(requestId: string, route: Route): string {
  return createHash('sha256').update(`${route}:${requestId}`).digest('base64url').slice(0, 25);
}

/** How far back of the recorded time a created message is looked for (clocks differ a little). */
const LOOKBACK_MARGIN_MS = 60_000;

/**
 * Whether the way an earlier attempt tried before a crash already shows this view, so it must not
 * be sent again. An edit has landed when the message carries the upload (a status message never
 * does; an edit without one is simply made again). A new message has landed when the channel
 * holds the job's message since then, known by its buttons, which name the job: Discord's nonce
 * catches a quick repeat too, but only for "a few minutes".
 */
export async function shownBefore(
  rest: REST,
  target: DiscordTarget,
  requestId: string,
  view: JobView,
  steps: DiscordSteps,
  now: number,
): Promise<boolean> {
  try {
    switch (steps.route) {
      case 'original':
      case 'channel-edit': {
        if (view.kind !== 'done') return false;
        const message = await editedMessage(rest, target, steps.route, now);
        return (message?.attachments.length ?? 0) > 0;
      }
      case 'channel-post':
      case 'dm': {
        const channelId =
          steps.route === 'dm' ? await dmChannel(rest, target.userId) : target.channelId;
        const since = (steps.routeAt ?? now) - LOOKBACK_MARGIN_MS;
        const messages = (await rest.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({
            after: SnowflakeUtil.generate({ timestamp: since }).toString(),
            limit: '100',
          }),
        })) as APIMessage[];
        return messages.some((message) => namesJob(message, requestId));
      }
      default:
        return false;
    }
  } catch (error) {
    if (isTargetGone(error)) return false;
    throw error;
  }
}

async function editedMessage(
  rest: REST,
  target: DiscordTarget,
  route: 'original' | 'channel-edit',
  now: number,
): Promise<APIMessage | undefined> {
  if (route === 'original' && now < target.tokenExpiresAt) {
    return (await rest.get(
      Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'),
      { auth: false },
    )) as APIMessage;
  }
  if (!target.messageId) return undefined;
  return (await rest.get(Routes.channelMessage(target.channelId, target.messageId))) as APIMessage;
}

/** The requester's DM channel with the bot (opening it again returns the same one). */
export async function dmChannel(rest: REST, userId: string): Promise<string> {
  const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
    id: string;
  };
  return dm.id;
}

/** Results and failures alike carry the job's Reroll / Try again button. */
function namesJob(message: APIMessage, requestId: string): boolean {
  const wanted = customId('reroll', requestId);
  return (message.components ?? []).some((row) =>
    ('components' in row ? row.components : []).some(
      (component) => 'custom_id' in component && component.custom_id === wanted,
    ),
  );
}
