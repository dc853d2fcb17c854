/**
 * The order in which jobs waiting for one of the API's task slots get one, wherever they arrived.
 *
 * Rule: a job's turn is (round, arrival). Its round is 1 + the number of its user's jobs ahead of it:
 * those already holding a slot and those of the same user that arrived before it and still wait.
 * Lower rounds go first; within a round, earlier arrival goes first (request id breaks exact ties).
 *
 * So every user's next job takes its turn by arrival time (first come, first served between users),
 * but a user's second job waits behind the first jobs of everybody else who is waiting, even those
 * who came later: one user's burst cannot hold the line. When one of the user's jobs finishes, the
 * user's next job moves up a round and takes back its place by arrival.
 *
 * A waiting job only ever moves forward, except that another user's first job may go ahead of a
 * user's second one (the rule above); a finished task frees a slot in the same step, so a user
 * whose round just dropped passes nobody who was already next.
 */
export interface LineEntry {
  requestId: string;
  userKey: string;
  /** When the job was accepted (ms); kept across restarts and replicas, so a resumed job keeps its place. */
  arrivedAt: number;
}

/** Rounds beyond this all count as this one (the Redis line packs the round into a score). */
export const MAX_ROUND = 900;

/** Arrival first, then request id: the same tie-break in memory and in Redis (byte order). */
export function byArrival(a: LineEntry, b: LineEntry): number {
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt - b.arrivedAt;
  return a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0;
}

/** Each waiting job's round, given how many slots each user already holds. */
export function roundsOf(
  waiting: readonly LineEntry[],
  slotsHeldByUser: ReadonlyMap<string, number>,
): Map<string, number> {
  const seen = new Map<string, number>();
  const rounds = new Map<string, number>();
  for (const entry of [...waiting].sort(byArrival)) {
    const ahead = (slotsHeldByUser.get(entry.userKey) ?? 0) + (seen.get(entry.userKey) ?? 0);
    seen.set(entry.userKey, (seen.get(entry.userKey) ?? 0) + 1);
    rounds.set(entry.requestId, Math.min(MAX_ROUND, ahead + 1));
  }
  return rounds;
}

/** The waiting jobs in the order they will get a slot: index 0 is position 1. */
export function fairOrder(
  waiting: readonly LineEntry[],
  slotsHeldByUser: ReadonlyMap<string, number>,
): LineEntry[] {
  const rounds = roundsOf(waiting, slotsHeldByUser);
  return [...waiting].sort(
    (a, b) => rounds.get(a.requestId)! - rounds.get(b.requestId)! || byArrival(a, b),
  );
}
