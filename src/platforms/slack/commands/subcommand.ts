import type { SlackContext } from '../context.js';

/** A slash command invocation, reduced to what handlers use. */
export interface CommandInput {
  teamId: string;
  userId: string;
  userName: string;
  channelId: string;
  responseUrl: string;
  triggerId: string;
  /** The text after the subcommand's name (all of it for a generation). */
  args: string;
}

/** One `/imagine …` subcommand: its help line and its handler. */
export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(context: SlackContext, input: CommandInput): Promise<void>;
}
