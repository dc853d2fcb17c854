import { Redis } from 'ioredis';
import { LINE_SCRIPTS, lineScript } from './line-script.js';
import {
  DEFAULT_BUSY_PAUSE,
  type BusyPause,
  type LineEntry,
  type Place,
  type SlotLine,
} from '../../core/queue/slot-line.js';

export interface RedisSlotLineOptions {
  redisUrl: string;
  /** The store's key prefix; the line's keys go under `<prefix>slots:`. */
  prefix: string;
  /**
   * An entry whose replica stops renewing it (the replica died) is dropped after this long, so
   * its slot frees. Longer than the job engine needs to hand the job to another replica, which
   * then takes over the same entry (same request id) and keeps its place.
   */
  leaseMs?: number;
  pause?: BusyPause;
}

export const DEFAULT_SLOT_LEASE_MS = 30_000;
/** Redis has no "no limit": a number no API key comes near. */
const UNLIMITED = 1_000_000_000;

type ScriptName = keyof typeof LINE_SCRIPTS;

/** The line shared by every replica on one Redis (see line-script.ts for the data). */
export class RedisSlotLine implements SlotLine {
  readonly leaseMs: number;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly keyPrefix: string;
  private readonly pause: BusyPause;
  private readonly listeners: Array<() => void> = [];
  /** Settles once this replica first hears the others' changes. */
  readonly listening: Promise<void>;

  constructor(options: RedisSlotLineOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_SLOT_LEASE_MS;
    this.pause = options.pause ?? DEFAULT_BUSY_PAUSE;
    this.keyPrefix = `${options.prefix}slots:`;
    // Calls fail during an outage instead of queueing: the queue reads the line again later, and
    // stopping never waits for Redis to come back.
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    for (const [name, body] of Object.entries(LINE_SCRIPTS))
      this.redis.defineCommand(name, { numberOfKeys: 0, lua: lineScript(body) });
    // ioredis would subscribe again by itself after a reconnect, but if the connection drops again
    // before Redis answers, that call fails unhandled (which ends the process) and is never made
    // again. Each connection subscribes here instead; if that fails, the next one does.
    this.subscriber = this.redis.duplicate({ autoResubscribe: false });
    // Outages surface as failed calls, which the submission queue retries; events need no handling.
    this.redis.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', () => {
      for (const listener of this.listeners) listener();
    });
    let subscribed = (): void => undefined;
    this.listening = new Promise((resolve) => (subscribed = resolve));
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(`${this.keyPrefix}changed`).then(subscribed, () => undefined);
    });
  }

  async join(entry: LineEntry, limit: number): Promise<Place> {
    const place = await this.run('lineJoin', limit, ...this.entryArgs(entry));
    return placeFrom(place as number);
  }

  async hold(entry: LineEntry): Promise<void> {
    await this.run('lineHold', UNLIMITED, ...this.entryArgs(entry));
  }

  async created(requestId: string, limit: number): Promise<void> {
    await this.run('lineCreated', limit, requestId);
  }

  async busy(requestId: string, limit: number): Promise<number> {
    const pause = await this.run('lineBusy', limit, requestId, this.pause.baseMs, this.pause.capMs);
    return Number(pause);
  }

  async release(requestId: string, limit: number): Promise<void> {
    await this.run('lineRelease', limit, requestId);
  }

  async look(requestIds: readonly string[], limit: number): Promise<Map<string, Place>> {
    const places = (await this.run('lineLook', limit, this.leaseMs, ...requestIds)) as number[];
    return new Map(requestIds.map((id, index) => [id, placeFrom(places[index]!)]));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
    for (const connection of [this.subscriber, this.redis])
      await connection.quit().catch(() => connection.disconnect());
  }

  private entryArgs(entry: LineEntry): Array<string | number> {
    return [entry.requestId, entry.userKey, entry.arrivedAt, this.leaseMs];
  }

  private run(name: ScriptName, limit: number, ...args: Array<string | number>): Promise<unknown> {
    const command = (
      this.redis as unknown as Record<ScriptName, (...a: unknown[]) => Promise<unknown>>
    )[name];
    return command.call(
      this.redis,
      this.keyPrefix,
      Number.isFinite(limit) ? limit : UNLIMITED,
      ...args,
    );
  }
}

function placeFrom(value: number): Place {
  return value === 0 ? 'slot' : value < 0 ? 'missing' : value;
}
