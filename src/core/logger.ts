/**
 * What the core needs of a logger: a pino logger satisfies it, and so does anything that takes
 * (fields, message). The composition root hands the core its logger; the core never opens one.
 */
export interface LogMethod {
  (fields: object, message?: string): void;
  (message: string): void;
}

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const ignore = (): void => undefined;

/** A logger that writes nothing: the default wherever the caller gives none. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
