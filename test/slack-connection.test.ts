import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  GENERAL,
  startSlackHarness,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';
import { jobFinished } from './helpers/logged.js';

const harnesses: SlackHarness[] = [];
const directories: string[] = [];

afterEach(async () => {
  for (const harness of harnesses.splice(0).reverse()) {
    await harness.close();
    expect(harness.fake.socket.unacked).toEqual([]);
  }
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startSlackHarness>[0]): Promise<SlackHarness> {
  const harness = await startSlackHarness(options);
  harnesses.push(harness);
  return harness;
}

const results = (h: SlackHarness) =>
  h.fake.messagesIn(GENERAL).filter((message) => message.files.length > 0);

describe('Socket Mode connection and restarts', () => {
  it('reconnects after Slack sends `disconnect`, then keeps taking commands', async () => {
    const h = await start({ mode: 'socket' });
    expect(h.fake.socket.connectionsOpened).toBe(1);
    h.fake.socket.requestReconnect();
    await until(
      () => h.fake.socket.connectionsOpened === 2 && h.fake.socket.openConnections === 1,
      'the reconnect',
      15_000,
    );
    await until(
      async () =>
        (await fetch(`http://127.0.0.1:${h.bot.httpPort}/readyz`)).status === 200 || undefined,
      'readiness',
    );
    await h.fake.slashCommand({ text: 'after the reconnect', userId: ALICE, channelId: GENERAL });
    await until(() => results(h)[0], 'the result');
    expect(h.fake.callsOf('apps.connections.open')).toHaveLength(2);
  }, 20_000);

  it('a restart mid-generation delivers the result exactly once, and buttons keep working after it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'slack-restart-'));
    directories.push(directory);
    const storeUrl = `sqlite://${join(directory, 'bot.sqlite')}`;
    const first = await start({ mode: 'socket', storeUrl, taskDurationMs: 1_500 });
    await first.fake.slashCommand({
      text: 'a phoenix mid-flight',
      userId: ALICE,
      channelId: GENERAL,
    });
    await until(
      () => first.sim.createdTaskCount === 1 && first.fake.messagesIn(GENERAL)[0],
      'the task and status message',
    );
    await first.stopBot();

    const second = await start({ mode: 'socket', storeUrl, fake: first.fake, sim: first.sim });
    const result = await until(
      () => second.fake.messagesIn(GENERAL).length === 1 && results(second)[0],
      'the result alone after the restart',
      10_000,
    );
    // Once the job is recorded finished, no process delivers it again.
    await jobFinished(second.logs);
    expect(second.fake.messagesIn(GENERAL)).toEqual([result]);
    expect(second.fake.callsOf('files.completeUploadExternal')).toHaveLength(1);
    expect(second.sim.createdTaskCount).toBe(1);

    // A result posted before a restart still answers its buttons afterwards.
    await second.stopBot();
    const third = await start({ mode: 'socket', storeUrl, fake: first.fake, sim: first.sim });
    await third.fake.clickButton({ userId: BOB, message: result, actionId: 'imagine_reroll' });
    await until(() => results(third).length === 2, 'the reroll after a restart');
    await third.fake.clickButton({ userId: ALICE, message: result, actionId: 'imagine_delete' });
    await until(() => result.deleted, 'the delete after a restart');
  }, 30_000);
});
