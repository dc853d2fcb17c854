import { describe, expect, it } from 'vitest';
import type { FakeMessage } from './fakes/slack/index.js';
import {
  ALICE,
  ART,
  BOB,
  GENERAL,
  until,
  type SlackHarness,
  harnessPerTest,
} from './fakes/slack/harness.js';

/** Neither the requester, nor the sharer, nor an admin. */
const CAROL = 'U0CAROL';

let h: SlackHarness | undefined;

const harnesses = harnessPerTest();

const text = (message: { text?: string; blocks?: unknown[] } | undefined) =>
  `${message?.text ?? ''} ${JSON.stringify(message?.blocks ?? [])}`;
const resultIn = (harness: SlackHarness, channel: string) =>
  until(
    () => harness.fake.messagesIn(channel).find((message) => message.files.length > 0),
    `a result in ${channel}`,
  );

async function bobSharesAlicesImage(harness: SlackHarness): Promise<{
  original: FakeMessage;
  copy: FakeMessage;
}> {
  const { fake } = harness;
  await fake.slashCommand({ text: 'a kite over dunes', userId: ALICE, channelId: GENERAL });
  const original = await resultIn(harness, GENERAL);
  await fake.clickButton({ userId: BOB, message: original, actionId: 'imagine_share' });
  const picker = await until(() => fake.viewsOpenedBy(BOB)[0], 'the share modal');
  await fake.submitView({ userId: BOB, view: picker, values: { channel: { conversation: ART } } });
  return { original, copy: await resultIn(harness, ART) };
}

describe('Slack: shared copies', () => {
  it('the sharer is told, under the copy, where it went', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { copy } = await bobSharesAlicesImage(h);
    expect(text(copy)).toContain(`Shared by <@${BOB}>`);
    const told = await until(
      () => h!.fake.ephemeralsFor(BOB).find((note) => /Shared in/.test(text(note))),
      'the confirmation',
    );
    expect(told.channel).toBe(ART);
    expect(text(told)).toContain(`<#${ART}>`);
  });

  it('whoever shared a copy may delete it (message and file); someone else may not; the original stays', async () => {
    h = await harnesses.start({ mode: 'socket' });
    const { fake } = h;
    fake.workspace.addUser({ id: CAROL, name: 'carol' });
    fake.workspace.channels.get(ART)!.members.add(CAROL);
    const { original, copy } = await bobSharesAlicesImage(h);

    await fake.clickButton({ userId: CAROL, message: copy, actionId: 'imagine_delete' });
    await until(
      () =>
        fake
          .ephemeralsFor(CAROL)
          .some((note) => /Only the person who asked for this image/.test(text(note))),
      'the refusal',
    );
    expect(copy.deleted).toBe(false);

    await fake.clickButton({ userId: BOB, message: copy, actionId: 'imagine_delete' });
    await until(
      () => copy.deleted && fake.workspace.files.get(copy.files[0]!)?.deleted,
      'the copy and its file to go',
    );
    expect(original.deleted).toBe(false);
    expect(fake.workspace.files.get(original.files[0]!)?.deleted).toBe(false);
  });
});
