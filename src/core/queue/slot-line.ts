import { fairOrder, type LineEntry } from './fair-order.js';

export type { LineEntry } from './fair-order.js';

/** Where a job stands: holding one of the API's task slots, waiting at a position (1 = next), or unknown to the line. */
export type Place = 'slot' | 'missing' | number;

/**
 * The line for the API's active-task limit: how many tasks may exist at once (created and not yet
 * seen to finish), and which waiting job gets the next free slot (see fair-order.ts). One line per
 * process on the embedded store; one shared by every replica on Redis. `limit` is passed with each
 * call because it can change while running (a 429 naming a smaller tier lowers it).
 *
 * After a 409 (something else is using the key) the whole line pauses with a growing backoff; a
 * task finishing ends the pause, and jobs then go one at a time until createTask succeeds again.
 */
export interface SlotLine {
  /** Enters the line, or finds the job's existing place; a free slot is taken at once. */
  join(entry: LineEntry, limit: number): Promise<Place>;
  /** The job's task already exists (a resumed job): it holds a slot whatever the limit. */
  hold(entry: LineEntry): Promise<void>;
  /** createTask accepted the job: the API has room again. */
  created(requestId: string, limit: number): Promise<void>;
  /** createTask answered 409: the job goes back to its place and the line pauses; returns the pause (ms). */
  busy(requestId: string, limit: number): Promise<number>;
  /** The job's task finished, or the job left: its slot (or place) is free. */
  release(requestId: string, limit: number): Promise<void>;
  /** Where each job stands; also keeps these jobs' leases alive (Redis), and gives out free slots. */
  look(requestIds: readonly string[], limit: number): Promise<Map<string, Place>>;
  /** `listener` runs when the line may have changed (here or on another replica). */
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

export interface BusyPause {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BUSY_PAUSE: BusyPause = { baseMs: 2_000, capMs: 30_000 };

/** The pause after the `streak`-th 409 in a row; the same formula runs in the Redis line's script. */
export function busyPauseMs(streak: number, pause: BusyPause): number {
  return Math.min(pause.capMs, pause.baseMs * 2 ** Math.max(0, streak - 1));
}

/** The line of one process (SQLite and memory stores): nothing outlives the process, so no leases. */
export class LocalSlotLine implements SlotLine {
  private readonly waiting = new Map<string, LineEntry>();
  private readonly slots = new Map<string, LineEntry>();
  private readonly slotsByUser = new Map<string, number>();
  private readonly listeners: Array<() => void> = [];
  private pausedUntil = 0;
  private busyStreak = 0;
  private probe: string | undefined;

  constructor(
    private readonly now: () => number,
    private readonly pause: BusyPause = DEFAULT_BUSY_PAUSE,
  ) {}

  join(entry: LineEntry, limit: number): Promise<Place> {
    if (!this.slots.has(entry.requestId) && !this.waiting.has(entry.requestId)) {
      this.waiting.set(entry.requestId, entry);
      this.fill(limit);
      this.changed();
    }
    return Promise.resolve(this.placesOf([entry.requestId]).get(entry.requestId)!);
  }

  hold(entry: LineEntry): Promise<void> {
    this.waiting.delete(entry.requestId);
    if (!this.slots.has(entry.requestId)) this.takeSlot(entry);
    this.changed();
    return Promise.resolve();
  }

  created(requestId: string, limit: number): Promise<void> {
    if (this.busyStreak > 0 || this.probe === requestId) {
      this.busyStreak = 0;
      this.pausedUntil = 0;
      this.probe = undefined;
      if (this.fill(limit) > 0) this.changed();
    }
    return Promise.resolve();
  }

  busy(requestId: string, limit: number): Promise<number> {
    const entry = this.slots.get(requestId);
    if (entry) {
      this.freeSlot(entry);
      this.waiting.set(requestId, entry);
    }
    if (this.probe === requestId) this.probe = undefined;
    this.busyStreak++;
    const pauseMs = busyPauseMs(this.busyStreak, this.pause);
    this.pausedUntil = this.now() + pauseMs;
    this.fill(limit);
    this.changed();
    return Promise.resolve(pauseMs);
  }

  release(requestId: string, limit: number): Promise<void> {
    const entry = this.slots.get(requestId);
    if (entry) {
      this.freeSlot(entry);
      // A finished task is room at the API: stop waiting out a 409 pause.
      this.pausedUntil = 0;
    }
    this.waiting.delete(requestId);
    if (this.probe === requestId) this.probe = undefined;
    this.fill(limit);
    this.changed();
    return Promise.resolve();
  }

  look(requestIds: readonly string[], limit: number): Promise<Map<string, Place>> {
    if (this.fill(limit) > 0) this.changed();
    return Promise.resolve(this.placesOf(requestIds));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.listeners.length = 0;
    return Promise.resolve();
  }

  /**
   * Gives free slots to the jobs first in line; returns how many got one. Taking a slot leaves the
   * order of the rest as it was (the user's later jobs keep their rounds), so one pass suffices.
   * While 409s are being ridden out, one job at a time probes the API.
   */
  private fill(limit: number): number {
    if (this.now() < this.pausedUntil) return 0;
    const probing = this.busyStreak > 0;
    if (probing && this.probe !== undefined) return 0;
    let admitted = 0;
    for (const entry of fairOrder([...this.waiting.values()], this.slotsByUser)) {
      if (this.slots.size >= limit) break;
      this.waiting.delete(entry.requestId);
      this.takeSlot(entry);
      admitted++;
      if (probing) {
        this.probe = entry.requestId;
        break;
      }
    }
    return admitted;
  }

  private takeSlot(entry: LineEntry): void {
    this.slots.set(entry.requestId, entry);
    this.slotsByUser.set(entry.userKey, (this.slotsByUser.get(entry.userKey) ?? 0) + 1);
  }

  private freeSlot(entry: LineEntry): void {
    this.slots.delete(entry.requestId);
    const held = (this.slotsByUser.get(entry.userKey) ?? 1) - 1;
    if (held > 0) this.slotsByUser.set(entry.userKey, held);
    else this.slotsByUser.delete(entry.userKey);
  }

  private placesOf(requestIds: readonly string[]): Map<string, Place> {
    const positions = new Map<string, number>();
    fairOrder([...this.waiting.values()], this.slotsByUser).forEach((entry, index) =>
      positions.set(entry.requestId, index + 1),
    );
    const places = new Map<string, Place>();
    for (const id of requestIds)
      places.set(id, this.slots.has(id) ? 'slot' : (positions.get(id) ?? 'missing'));
    return places;
  }

  private changed(): void {
    for (const listener of this.listeners) queueMicrotask(listener);
  }
}
