import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { SECRET_REPLACEMENT, secretScrubber } from './core/echo.js';

export type { Logger } from 'pino';

/** Field paths that may carry credentials even when their values are not known secrets. */
const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.headers.authorization',
  'apiKey',
  'token',
  '*.token',
  'config.AIGPTIMAGE_API_KEY',
  'config.DISCORD_TOKEN',
  'config.DISCORD_PUBLIC_KEY',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
];

const REPLACEMENT = SECRET_REPLACEMENT;

export interface LoggerOptions {
  level?: string;
  /** Secret values (API key, bot tokens) scrubbed from every line, wherever they appear. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; stdout when omitted. */
  destination?: DestinationStream;
  /** Human-readable lines; defaults to on when stdout is a TTY and no destination is given. */
  pretty?: boolean;
}

/** `scheme://user:password@host`: the userinfo of any URL in a line, e.g. AIGPTIMAGE_BASE_URL or a Redis URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi;

/** A URL as it may be logged: any username and password replaced. */
export function withoutCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REPLACEMENT}@`);
}

/**
 * Wraps a destination so that no known secret value, and no password inside a URL, can be
 * written, even inside an error message or a stack trace that path-based redaction cannot see.
 */
export function scrubbingDestination(
  target: DestinationStream,
  secrets: readonly (string | undefined)[],
): DestinationStream {
  const scrub = secretScrubber(secrets);
  return { write: (line: string) => target.write(withoutCredentials(scrub(line))) };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (!options.destination && process.stdout.isTTY);
  const base: DestinationStream =
    options.destination ??
    (pretty ? pinoPretty({ colorize: true, destination: 1, sync: true }) : pino.destination(1));
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: REPLACEMENT },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbingDestination(base, options.secrets ?? []),
  );
}

/** A logger that writes nothing, for library defaults. */
export const silentLogger: Logger = pino({ level: 'silent' });
