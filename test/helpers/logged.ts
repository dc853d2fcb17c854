import { eventually } from './core.js';

type LogRecord = Record<string, unknown>;
type Logs = readonly (string | LogRecord)[];

function parsed(line: string | LogRecord): LogRecord | undefined {
  if (typeof line !== 'string') return line;
  try {
    return JSON.parse(line) as LogRecord;
  } catch {
    return undefined;
  }
}

function firstLogged(logs: Logs, matches: (line: LogRecord) => boolean, what: string) {
  return eventually(
    () => Promise.resolve(logs.map(parsed).find((line) => line !== undefined && matches(line))),
    10_000,
    what,
  );
}

/*
 * A test that asserts "nothing more happened" waits for the line the bot writes once it is done
 * with the thing, instead of for a fixed time.
 */

/** The job (the only one, or `requestId`) is recorded finished: no process delivers it again. */
export function jobFinished(logs: Logs, requestId?: string): Promise<LogRecord> {
  return firstLogged(
    logs,
    (line) =>
      line.msg === 'job finished' && (requestId === undefined || line.requestId === requestId),
    `the job ${requestId ?? ''} to be recorded finished`,
  );
}

/**
 * The bot dropped a second delivery of the interaction (the only one, or `id`): either while the
 * first was still being handled, or because its job already exists.
 */
export function redeliveryDropped(logs: Logs, id?: string): Promise<LogRecord> {
  return firstLogged(
    logs,
    (line) =>
      (line.msg === 'duplicate interaction ignored' &&
        (id === undefined || line.interactionId === id)) ||
      (line.msg === 'interaction delivered twice; the job already exists' &&
        (id === undefined || line.requestId === id)),
    `the bot to drop the second delivery of ${id ?? 'the interaction'}`,
  );
}
