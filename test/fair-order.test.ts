import { describe, expect, it } from 'vitest';
import { fairOrder, roundsOf, type LineEntry } from '../src/core/queue/fair-order.js';

const job = (requestId: string, userKey: string, arrivedAt: number): LineEntry => ({
  requestId,
  userKey,
  arrivedAt,
});
const ids = (entries: LineEntry[]) => entries.map((entry) => entry.requestId);
const none = new Map<string, number>();

describe('the fair order of the line for task slots', () => {
  it('is first come, first served between users with one job each', () => {
    const waiting = [job('c', 'carol', 30), job('a', 'ann', 10), job('b', 'bob', 20)];
    expect(ids(fairOrder(waiting, none))).toEqual(['a', 'b', 'c']);
  });

  it("puts a user's burst behind the first job of everybody else waiting, even those who came later", () => {
    const waiting = [
      job('ann-1', 'ann', 1),
      job('ann-2', 'ann', 2),
      job('ann-3', 'ann', 3),
      job('bob-1', 'bob', 4),
      job('cat-1', 'cat', 5),
      job('bob-2', 'bob', 6),
    ];
    expect(ids(fairOrder(waiting, none))).toEqual([
      'ann-1',
      'bob-1',
      'cat-1',
      'ann-2',
      'bob-2',
      'ann-3',
    ]);
  });

  it('counts the slots a user already holds: their next job waits behind users holding none', () => {
    const waiting = [job('ann-2', 'ann', 1), job('bob-1', 'bob', 2)];
    expect(ids(fairOrder(waiting, new Map([['ann', 1]])))).toEqual(['bob-1', 'ann-2']);
    // Once Ann's task finishes, her waiting job has her oldest arrival again and goes first.
    expect(ids(fairOrder(waiting, none))).toEqual(['ann-2', 'bob-1']);
  });

  it('breaks a tie of the same millisecond by request id, as Redis orders equal scores', () => {
    const waiting = [job('b', 'bob', 5), job('a', 'ann', 5)];
    expect(ids(fairOrder(waiting, none))).toEqual(['a', 'b']);
  });

  it('gives each job its round: one more than the jobs of its user ahead of it', () => {
    const rounds = roundsOf(
      [job('a2', 'ann', 2), job('a1', 'ann', 1), job('b1', 'bob', 3)],
      new Map([['bob', 2]]),
    );
    expect(Object.fromEntries(rounds)).toEqual({ a1: 1, a2: 2, b1: 3 });
  });

  it('never moves a waiting job back when a slot-holder finishes and the head takes the slot', () => {
    // Exhaustive over small lines: 3 users, up to 2 jobs each, every mix of slots held.
    const users = ['u', 'v', 'w'];
    for (let seed = 0; seed < 3 ** 6; seed++) {
      const waiting: LineEntry[] = [];
      const held = new Map<string, number>();
      let code = seed;
      users.forEach((user, index) => {
        const jobs = code % 3;
        code = Math.floor(code / 3);
        const slots = code % 3;
        code = Math.floor(code / 3);
        if (slots > 0) held.set(user, slots);
        for (let n = 0; n < jobs; n++)
          waiting.push(job(`${user}${n}`, user, (n * 7 + index * 3) % 11));
      });
      for (const finisher of held.keys()) {
        const before = fairOrder(waiting, held);
        if (before.length === 0) continue;
        const afterHeld = new Map(held);
        afterHeld.set(finisher, afterHeld.get(finisher)! - 1);
        // The freed slot goes to the new head in the same step.
        const [head, ...rest] = fairOrder(waiting, afterHeld);
        afterHeld.set(head!.userKey, (afterHeld.get(head!.userKey) ?? 0) + 1);
        const after = fairOrder(rest, afterHeld);
        for (const [index, entry] of after.entries()) {
          const was = before.findIndex((other) => other.requestId === entry.requestId);
          expect(index, `${entry.requestId} after ${finisher} finished`).toBeLessThanOrEqual(was);
        }
      }
    }
  });
});
