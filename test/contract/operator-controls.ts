/**
 * Operator controls in the contract: what a server's admin sets (a blocked word, the channels, a
 * daily budget) holds the same on every platform, set through the platform's own admin gesture.
 * The server outlives each test on Discord and Slack, so every case puts its setting back.
 */
import { describe, expect } from 'vitest';
import {
  creditsLeft,
  DAILY_CREDITS,
  uniquePrompt,
  type Capabilities,
  type ChatDriver,
  type OperatorDriver,
  type People,
  type Person,
  type Sent,
  type SettingChange,
} from './driver.js';
import { FAIL_MARKER } from './image-api.js';

export interface OperatorCaseContext {
  chat(): ChatDriver;
  /** A test only where the platform has the capability (see conversation.test.ts). */
  where(capability: keyof Capabilities, title: string, body: () => Promise<void>): void;
  /** The private refusal of a request that never reached the API. */
  refused(sent: Sent): Promise<string>;
}

/** Every platform says "server" or "workspace" for the place whose admins set the rules. */
const SERVER = '(?:server|workspace)';
const BLOCKED = new RegExp(
  `^A rule of this ${SERVER} blocks that prompt, so no image was made and no credits were used\\. Reword it and try again\\.$`,
);
const POOL_USED_UP = new RegExp(
  `^This image costs 1 credit and the credits this ${SERVER} shares have 0 left today\\. They reset .+; until then an? (?:\\w+ )?admin can raise the ${SERVER}'s daily budget\\.$`,
);

let wordCounter = 0;
/** A word no prompt of another test contains. */
function uniqueWord(): string {
  wordCounter++;
  return `zorbax${wordCounter}q`;
}

export function operatorControlCases({ chat, where, refused }: OperatorCaseContext): void {
  const operator = (): OperatorDriver => {
    const driver = chat();
    if (!driver.changeSetting || driver.otherChannelShownAs === undefined)
      throw new Error(`the ${driver.platform} driver does not implement OperatorDriver`);
    return {
      changeSetting: driver.changeSetting.bind(driver),
      otherChannelShownAs: driver.otherChannelShownAs,
    };
  };
  /** Makes the change and waits for the admin's answer, which must not be a refusal. */
  async function set(by: Person, change: SettingChange): Promise<string> {
    const answer = await chat().privateReplyTo(await operator().changeSetting(by, change));
    expect(answer).not.toMatch(/^(Only|That|Admin commands)/);
    return answer;
  }
  /** Runs `body` with the settings changed, and puts them back whatever happens. */
  async function withSetting(
    by: Person,
    change: SettingChange,
    undo: SettingChange,
    body: () => Promise<void>,
  ): Promise<void> {
    await set(by, change);
    try {
      await body();
    } finally {
      await set(by, undo);
    }
  }
  const image = async (sent: Sent) => {
    const outcome = await chat().outcomeOf(sent);
    expect(outcome.kind).toBe('image');
  };

  describe('operator controls: set by the server’s admins, held for everyone', () => {
    let people: People;

    where(
      'operatorControls',
      'a blocked word refuses the prompt before any task, without naming the rule',
      async () => {
        people = await chat().people();
        const word = uniqueWord();
        await withSetting(people.moderator, { block: word }, { unblock: word }, async () => {
          // Matching ignores case and accents: the word in capitals with an accent is still it.
          const disguised = `${word.toUpperCase().replace('O', 'Ó')}`;
          const sent = await chat().imagine(
            people.requester,
            uniquePrompt(`a ${disguised} at sea`),
          );
          const text = await refused(sent);
          expect(text).toMatch(BLOCKED);
          expect(text.toLowerCase()).not.toContain(word);
          expect(creditsLeft(await chat().ask(people.requester, 'quota'))).toBe(DAILY_CREDITS);
        });
        // Unblocked, the same word goes through.
        await image(await chat().imagine(people.requester, uniquePrompt(`a ${word} at sea`)));
      },
    );

    where(
      'operatorControls',
      'a channel left out of the allowlist refuses and says where to go; an allowed one works',
      async () => {
        people = await chat().people();
        const { otherChannelShownAs } = operator();
        await withSetting(
          people.moderator,
          { onlyChannel: 'other' },
          { allChannels: true },
          async () => {
            const sent = await chat().imagine(people.requester, uniquePrompt('a harbour map'));
            const text = await refused(sent);
            expect(text).toMatch(/^Image generation is not enabled in this channel\. /);
            expect(text).toContain(otherChannelShownAs);
          },
        );
        await withSetting(
          people.moderator,
          { onlyChannel: 'main' },
          { allChannels: true },
          async () => {
            await image(await chat().imagine(people.requester, uniquePrompt('a harbour map')));
          },
        );
      },
    );

    where(
      'operatorControls',
      'a denied channel refuses and sends people elsewhere; a channel not denied works',
      async () => {
        people = await chat().people();
        await withSetting(
          people.moderator,
          { denyChannel: 'main' },
          { allChannels: true },
          async () => {
            const sent = await chat().imagine(people.requester, uniquePrompt('a tide chart'));
            expect(await refused(sent)).toMatch(
              /^Image generation is turned off in this channel\. Use .+ in another channel of this (server|workspace)\.$/,
            );
          },
        );
        await withSetting(
          people.moderator,
          { denyChannel: 'other' },
          { allChannels: true },
          async () => {
            await image(await chat().imagine(people.requester, uniquePrompt('a tide chart')));
          },
        );
      },
    );

    where(
      'operatorControls',
      'a server pool used up refuses with when it resets, and a failure refunds it; /quota shows the pool beside the person’s credits',
      async () => {
        people = await chat().people();
        await withSetting(
          people.moderator,
          { dailyBudget: 1 },
          { dailyBudget: 'default' },
          async () => {
            // A failure gives the credit back to the pool as well as to the person.
            const risky = await chat().imagine(
              people.requester,
              uniquePrompt(`a lantern ${FAIL_MARKER}`),
            );
            expect((await chat().outcomeOf(risky)).kind).toBe('failure');
            await image(await chat().imagine(people.requester, uniquePrompt('the first lantern')));
            const second = await chat().imagine(people.member, uniquePrompt('a second lantern'));
            expect(await refused(second)).toMatch(POOL_USED_UP);
            const quota = await chat().ask(people.member, 'quota');
            // The person's own credits first, untouched; the server's pool beside them, used up.
            expect(creditsLeft(quota)).toBe(DAILY_CREDITS);
            expect(quota).toMatch(/\b0 of 1\b/);
          },
        );
        // Back to the operator's default (no cap here): the member's image goes through.
        await image(await chat().imagine(people.member, uniquePrompt('a third lantern')));
      },
    );

    where(
      'operatorControls',
      'a member may not change the server’s settings, and nothing changes',
      async () => {
        people = await chat().people();
        const word = uniqueWord();
        const attempt = await operator().changeSetting(people.member, { block: word });
        expect(await chat().privateReplyTo(attempt)).toMatch(/^Only .+ can use /);
        await image(await chat().imagine(people.requester, uniquePrompt(`a ${word} at sea`)));
      },
    );
  });
}
