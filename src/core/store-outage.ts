import { silentLogger, type Logger } from './logger.js';

/** A probe that takes longer than this counts as "unreachable": readiness must answer within a second. */
export const STORE_PROBE_TIMEOUT_MS = 800;
/** How often an outage probes the store to see whether it is back. */
const RECOVERY_PROBE_INTERVAL_MS = 500;
/** A failing call while the store answers is logged at most this often per source. */
const ANSWERING_FAILURE_LOG_INTERVAL_MS = 60_000;

export interface StoreOutageOptions {
  /** Resolves when the store answers, rejects (or times out) when it does not. */
  probe: () => Promise<unknown>;
  logger?: Logger;
  /** Where the store is, for the log line; never a URL, which may carry a password. */
  describe?: string;
}

/**
 * The one place that decides whether the store is down. Every connection and every caller that
 * fails to reach the store reports here; a probe confirms it, so a single refused reconnect of one
 * connection among several does not count. An outage is logged once when it starts and once when
 * it ends, with its duration, however many connections and jobs notice it in between.
 */
export class StoreOutage {
  private readonly logger: Logger;
  /** When the first failure of the current (suspected or confirmed) outage was reported. */
  private firstFailureAt: number | undefined;
  private confirmed = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private readonly lastAnsweringFailureLog = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: StoreOutageOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** True while an outage is suspected or confirmed: callers should not expect the store to answer. */
  get unreachable(): boolean {
    return this.firstFailureAt !== undefined;
  }

  /** A part of the bot could not reach the store. Cheap to call on every failure. */
  report(source: string, error: unknown): void {
    if (this.closed) return;
    if (this.firstFailureAt !== undefined) return;
    const failedAt = Date.now();
    this.firstFailureAt = failedAt;
    void this.answers().then((answering) => {
      if (this.closed || this.firstFailureAt !== failedAt) return;
      if (answering) {
        // The store is fine: this call failed for a reason of its own, which the caller must hear about.
        this.firstFailureAt = undefined;
        this.logAnsweringFailure(source, error);
        return;
      }
      this.confirmed = true;
      this.logger.warn(
        {
          source,
          err: messageOf(error),
          ...(this.options.describe ? { store: this.options.describe } : {}),
        },
        'store unreachable; jobs pause and resume when it is back (check that the store is running and reachable at STORE_URL)',
      );
      this.scheduleRecoveryProbe();
    });
  }

  /** A connection says it is connected again; the next probe decides, so this only hurries it. */
  reconnected(): void {
    if (!this.confirmed || this.closed) return;
    clearTimeout(this.recoveryTimer);
    this.scheduleRecoveryProbe(0);
  }

  /** Answers within STORE_PROBE_TIMEOUT_MS whether the store answers now. */
  async answers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), STORE_PROBE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        this.options.probe().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.recoveryTimer);
  }

  private scheduleRecoveryProbe(delayMs = RECOVERY_PROBE_INTERVAL_MS): void {
    this.recoveryTimer = setTimeout(() => {
      void this.answers().then((answering) => {
        if (this.closed || !this.confirmed) return;
        if (!answering) return this.scheduleRecoveryProbe();
        const durationMs = Date.now() - (this.firstFailureAt ?? Date.now());
        this.firstFailureAt = undefined;
        this.confirmed = false;
        this.logger.info(
          { durationMs },
          `store reachable again after ${(durationMs / 1000).toFixed(1)} s; paused jobs continue`,
        );
      });
    }, delayMs);
    // An outage alone must not keep a stopping process alive.
    this.recoveryTimer.unref();
  }

  private logAnsweringFailure(source: string, error: unknown): void {
    // A connection that is still reconnecting after the store came back says so late: not news.
    if (isConnectionError(error)) return;
    const now = Date.now();
    const last = this.lastAnsweringFailureLog.get(source);
    if (last !== undefined && now - last < ANSWERING_FAILURE_LOG_INTERVAL_MS) return;
    this.lastAnsweringFailureLog.set(source, now);
    this.logger.warn(
      { source, err: messageOf(error) },
      'a store call failed although the store answers',
    );
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Does this error say the store could not be reached, rather than that it refused the call? */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable|not connected|Socket closed|connect/i.test(
    error.message,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
