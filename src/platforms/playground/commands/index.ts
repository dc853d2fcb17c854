import { UserError } from '../../../core/errors.js';
import type { PlaygroundContext } from '../context.js';
import type { Command, CommandInput } from './command.js';
import { generate } from './generate.js';
import { helpCommand } from './help.js';
import { history } from './history.js';
import { quota } from './quota.js';

/** The simulated API fails prompts containing this, like a content-policy refusal. */
export const SIMULATED_FAIL_MARKER = '[fail]';

export interface TypedCommand {
  user: CommandInput['user'];
  channelId: string;
  requestId: string;
  /** Everything typed into the message box. */
  text: string;
}

function registry(context: PlaygroundContext) {
  const named: Command[] = [];
  const help = helpCommand(
    () => [generate, ...named],
    context.simulated ? SIMULATED_FAIL_MARKER : undefined,
  );
  named.push(help, quota, history);
  return { named, help };
}

/**
 * `/imagine …` as on Slack (`help`, `quota` and `history` only when alone, so "history of Rome"
 * is still a prompt), plus `/quota`, `/history` and `/help` as on Discord.
 */
export async function runCommand(context: PlaygroundContext, typed: TypedCommand): Promise<void> {
  const { named } = registry(context);
  const text = typed.text.trim();
  const [word = '', ...rest] = text.split(/\s+/);
  const name = word.toLowerCase();
  const input = (args: string): CommandInput => ({ ...typed, args });
  if (name === '/imagine') {
    const args = text.slice(word.length).trim();
    const alone =
      rest.length === 1 ? named.find((c) => c.name === rest[0]!.toLowerCase()) : undefined;
    return (alone ?? generate).run(context, input(alone ? '' : args));
  }
  const direct = named.find((command) => `/${command.name}` === name);
  if (direct && rest.length === 0) return direct.run(context, input(''));
  throw new UserError('playground_unknown_command', { typed: word.slice(0, 40) || text });
}
