import type { PlaygroundContext } from '../context.js';
import type { PlaygroundUser } from '../people.js';
import type { Audience } from '../reply.js';

/** A command typed into the playground, reduced to what handlers use. */
export interface CommandInput {
  user: PlaygroundUser;
  channelId: string;
  /** The page's id for this submit; a generation uses it as its request id. */
  requestId: string;
  /** The text after the command's name (all of it for a generation). */
  args: string;
}

/** One command: its help line and its handler. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(context: PlaygroundContext, input: CommandInput): Promise<void>;
}

/** Replies to a command go to the person who typed it, in the channel they typed it in. */
export function audienceOf(input: CommandInput): Audience {
  return { userId: input.user.id, channelId: input.channelId };
}
