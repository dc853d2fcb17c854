import { afterEach, describe, expect, it } from 'vitest';
import {
  showsFailure,
  showsImage,
  startDiscordTestBed,
  type DiscordTestBed,
} from './fakes/discord/harness.js';
import { current, textOf, type InteractionHandle } from './fakes/discord/index.js';

let bed: DiscordTestBed | undefined;

afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const USERS = 200;
const COMMANDS_PER_USER = 5;
// The shape: 1,000 commands within a minute. The bot, discord.js, the fakes and the image
// API share this one test process (and CI runs other test files beside it), so a 10 s burst here
// measured the test machine, not the bot; bench scenario 2 measures the bot alone under a burst.
const SPREAD_MS = 45_000;

/** Whatever the user finally sees for one command: the image, the failure, or the quota notice. */
function answerOf(handle: InteractionHandle): 'image' | 'failure' | 'quota' | undefined {
  const response = handle.response();
  if (response && !response.deleted && showsImage(current(response))) return 'image';
  if (response && !response.deleted && showsFailure(current(response))) return 'failure';
  const texts = [...(response ? [response] : []), ...handle.followups()].map((message) =>
    textOf(current(message)),
  );
  return texts.some((text) => text.includes('left today')) ? 'quota' : undefined;
}

describe('load through the fakes', () => {
  it('1,000 commands from 200 users are each acknowledged within 3 s and answered; none is lost', async () => {
    // 4 credits a day and 5 commands each: every user also meets the quota notice once.
    bed = await startDiscordTestBed({
      env: { USER_DAILY_CREDITS: '4', MAX_ACTIVE_PER_USER: '10' },
      sim: { taskDurationMs: 300, recordRequests: false },
    });
    const users = Array.from({ length: USERS }, (_, index) => bed!.fake.user(`user${index}`));
    const handles: InteractionHandle[] = [];
    const total = USERS * COMMANDS_PER_USER;
    const started = Date.now();
    for (let index = 0; index < total; index++) {
      const dueAt = started + (index * SPREAD_MS) / total;
      const wait = dueAt - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      handles.push(
        await bed.fake.runCommand({
          name: 'imagine',
          user: users[index % USERS]!,
          options: { prompt: `load test ${index}` },
        }),
      );
    }
    expect(Date.now() - started).toBeLessThan(60_000);

    const callbacks = await Promise.all(handles.map((handle) => handle.waitForCallback(10_000)));
    const lateAcks = callbacks.filter(
      (callback, index) => callback.at - handles[index]!.interaction.dispatchedAt >= 3_000,
    );
    expect(lateAcks).toEqual([]);

    const answers = await bed.fake.waitFor(
      () => {
        const seen = handles.map(answerOf);
        return seen.every((answer) => answer !== undefined) ? seen : undefined;
      },
      'every command to be answered',
      90_000,
    );
    const count = (kind: string) => answers.filter((answer) => answer === kind).length;
    expect(count('image')).toBe(USERS * 4);
    expect(count('quota')).toBe(USERS);
    expect(count('failure')).toBe(0);
    expect(bed.sim.createdTaskCount).toBe(USERS * 4);
  }, 180_000);
});
