import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/core/clock.js';
import {
  createTaskCalls,
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
} from './fakes/discord/harness.js';
import {
  current,
  MEMBER_PERMISSIONS,
  MessageFlag,
  Permission,
  textOf,
  type FakeMessage,
  type FakeUser,
  type MessageRevision,
} from './fakes/discord/index.js';

/**
 * Real timers, but the date the core reads (quotas, pools, the audit) set to wherever the test
 * wants it: here the last minutes of a month, then just past its end.
 */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
  setTimeout = (callback: () => void, ms: number): unknown => setTimeout(callback, ms);
  clearTimeout = (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout);
}

const MINUTE = 60_000;
const clock = new ShiftedClock();
let bed: DiscordTestBed;

beforeAll(async () => {
  bed = await startDiscordTestBed({ tuning: { clock } });
});

afterAll(async () => {
  await bed.close();
});

async function imagine(user: FakeUser): Promise<MessageRevision> {
  const reply = await bed.fake.runCommand({
    name: 'imagine',
    user,
    options: { prompt: 'a lantern', resolution: '1K' },
  });
  const message = await bed.fake.waitFor(
    () =>
      [reply.response(), ...reply.followups()].find(
        (candidate): candidate is FakeMessage =>
          !!candidate &&
          !candidate.deleted &&
          (showsImage(current(candidate)) || current(candidate).content !== ''),
      ),
    `the outcome of ${reply.id}`,
  );
  return current(message);
}

describe("a server's monthly budget", () => {
  it("refuses in the month's last minutes, naming the reset, and accepts once the UTC month turns", async () => {
    const real = new Date();
    const monthStart = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), 1);
    clock.offsetMs = monthStart - 3 * MINUTE - Date.now();
    const admin = bed.fake.user('admin');
    const set = await bed.fake.runCommand({
      name: 'imagine-admin',
      subcommand: 'budget',
      options: { monthly: 2 },
      user: admin,
      memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
    });
    const saved = await set.waitForResponse(
      (revision) => (revision.flags & MessageFlag.Loading) === 0,
      'the saved budget',
    );
    expect(textOf(current(saved))).toContain('Monthly budget\n2 credits');

    const member = bed.fake.user('member');
    const before = createTaskCalls(bed.sim).length;
    expect(showsImage(await imagine(member))).toBe(true);
    expect(showsImage(await imagine(member))).toBe(true);
    const refused = await imagine(member);
    expect(textOf(refused)).toMatch(
      /credits this server shares have 0 left this month\. They reset in \d+ min \(00:00 UTC\)/,
    );
    expect(createTaskCalls(bed.sim).length - before).toBe(2);

    // Five minutes on: a new UTC month, a fresh pool.
    clock.offsetMs += 5 * MINUTE;
    expect(showsImage(await imagine(member))).toBe(true);
    expect(createTaskCalls(bed.sim).length - before).toBe(3);
  });
});
