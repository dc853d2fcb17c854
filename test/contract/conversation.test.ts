/**
 * The contract: one conversation, the same steps and the same expectations, on every front end.
 * Each platform's bot runs once for the file against its fakes; each test has people nobody has
 * used before. Texts every platform words the same are asserted exactly; texts a platform words
 * its own way (who may delete, how a reset time is shown) by their meaning.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_POLICY_FAIL_MESSAGE } from '../fakes/image-api/index.js';
import { FAST_CREATE_RETRY } from '../helpers/core.js';
import { encodePng } from '../../src/simulator/png.js';
import {
  creditsLeft,
  DAILY_CREDITS,
  MAX_ACTIVE,
  uniquePrompt,
  until,
  type Capabilities,
  type ChatDriver,
  type DriverSpec,
  type EditingDriver,
  type Outcome,
  type People,
  type Sent,
} from './driver.js';
import { discord } from './drivers/discord.js';
import { playground } from './drivers/playground.js';
import { slack } from './drivers/slack.js';
import { FAIL_MARKER, HELD_MARKER } from './image-api.js';
import { operatorControlCases } from './operator-controls.js';

/** Run one platform alone with `npx vitest run test/contract -t "on slack"`. */
const DRIVERS: DriverSpec[] = [discord, slack, playground];

function expectKind<K extends Outcome['kind']>(
  outcome: Outcome,
  kind: K,
): Extract<Outcome, { kind: K }> {
  if (outcome.kind !== kind)
    throw new Error(`expected ${kind}, got ${outcome.kind}: ${JSON.stringify(outcome)}`);
  return outcome as Extract<Outcome, { kind: K }>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(DRIVERS.map((spec) => [spec.platform, spec] as const))(
  'the conversation on %s',
  (_platform, spec) => {
    let chat: ChatDriver;
    let people: People;
    /** A test only where the platform lets a person take the step; says why not in its name. */
    const where = (capability: keyof Capabilities, title: string, body: () => Promise<void>) =>
      it.skipIf(!spec.capabilities[capability])(
        spec.capabilities[capability]
          ? title
          : `${title} (skipped: ${spec.missing[capability] ?? 'not built for this platform yet'})`,
        body,
      );

    beforeAll(async () => {
      chat = await spec.start();
    });
    afterEach(async () => {
      if (!chat) return; // the bot did not start: beforeAll already failed the tests
      chat.api.reset();
      expect(chat.leakedSecrets()).toEqual([]);
    });
    afterAll(async () => {
      await chat?.close();
    });

    /** An image for the requester, as every scenario about results starts. */
    async function imageFor(prompt = uniquePrompt('a paper kite')) {
      people = await chat.people();
      const sent = await chat.imagine(people.requester, prompt);
      const { shown } = expectKind(await chat.outcomeOf(sent), 'image');
      return { sent, shown, prompt };
    }
    const creditsOf = async (who: keyof People) =>
      creditsLeft(await chat.ask(people[who], 'quota'));
    /** What the person was told privately about this request, which never reached the API. */
    async function refused(sent: Sent): Promise<string> {
      const { text } = expectKind(await chat.outcomeOf(sent), 'refusal');
      expect(chat.api.createRequestIds()).not.toContain(sent.interactionId);
      return text;
    }
    /**
     * What the person was told about a request the API turned down before any task existed. Discord
     * and Slack say it privately and take the status message away; the playground shows it on the
     * request's card, where only the requester acts on it. Either way: told, and no task.
     */
    async function toldAbout(sent: Sent): Promise<string> {
      const outcome = await chat.outcomeOf(sent);
      expect(chat.api.tasksFor(sent.interactionId)).toEqual([]);
      if (outcome.kind === 'refusal') return outcome.text;
      return expectKind(outcome, 'failure').shown.text;
    }

    describe('imagine → result → reroll → share → delete', () => {
      it('shows the image, made by one task whose X-Request-ID is the interaction id', async () => {
        people = await chat.people();
        const tasksBefore = chat.api.tasks().length;
        const prompt = uniquePrompt('a red fox in the snow');
        const sent = await chat.imagine(people.requester, prompt, {
          aspectRatio: '16:9',
          resolution: '2K',
        });
        const { shown } = expectKind(await chat.outcomeOf(sent), 'image');
        expect(shown.text).toContain(prompt);
        expect(shown.text).toContain('16:9 · 2K');
        expect(shown.text).toContain(people.requester.shownAs);
        expect(shown.buttons).toEqual(expect.arrayContaining(['Reroll', 'Delete']));
        expect(shown.buttons.some((label) => label.startsWith('Share'))).toBe(true);
        const tasks = chat.api.tasksFor(sent.interactionId);
        expect(tasks).toHaveLength(1);
        expect(tasks[0]!.input).toMatchObject({ prompt, aspect_ratio: '16:9', resolution: '2K' });
        expect(chat.api.tasks()).toHaveLength(tasksBefore + 1);
      });

      it('Reroll makes a second task for the same prompt, keyed by the click and charged to the clicker', async () => {
        const { shown, prompt } = await imageFor();
        const memberBefore = await creditsOf('member');
        const click = await chat.reroll(people.member, shown);
        const rerolled = expectKind(await chat.outcomeOf(click), 'image').shown;
        expect(rerolled.text).toContain(prompt);
        expect(rerolled.text).toContain(people.member.shownAs);
        const tasks = chat.api.tasksFor(click.interactionId);
        expect(tasks).toHaveLength(1);
        expect(tasks[0]!.input.prompt).toBe(prompt);
        expect(await creditsOf('member')).toBe(memberBefore - 1);
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
      });

      it('Share posts a copy in the other channel that names the sharer', async () => {
        const { shown, prompt } = await imageFor();
        const share = await chat.share(people.member, shown);
        const copy = await chat.sharedCopyOf(share);
        expect(copy.text).toContain(prompt);
        expect(copy.text).toMatch(
          new RegExp(`shared by\\s+${escapeRegExp(people.member.shownAs)}`, 'i'),
        );
        expect(chat.isShown(shown)).toBe(true);
      });

      it('a private request is seen by the requester alone, who may share it', async () => {
        people = await chat.people();
        const prompt = uniquePrompt('a secret garden');
        const sent = await chat.imagine(people.requester, prompt, { private: true });
        const { shown } = expectKind(await chat.outcomeOf(sent), 'image');
        expect(chat.seenByOthers(shown)).toBe(false);
        const copy = await chat.sharedCopyOf(await chat.share(people.requester, shown));
        expect(copy.text).toContain(prompt);
        expect(chat.seenByOthers(copy)).toBe(true);
      });

      it('Delete by another member is refused privately and removes nothing', async () => {
        const { shown } = await imageFor();
        const click = await chat.remove(people.member, shown);
        expect(await chat.privateReplyTo(click)).toMatch(
          /^Only the person who asked for this image\b.*, can delete it\.$/,
        );
        expect(chat.isShown(shown)).toBe(true);
        expect(chat.privateTextsOf(people.requester)).toEqual([]);
      });

      it('Delete by the requester removes it', async () => {
        const { shown } = await imageFor();
        await chat.remove(people.requester, shown);
        await chat.goneFromChannel(shown);
      });

      it('Delete by a moderator removes it', async () => {
        const { shown } = await imageFor();
        await chat.remove(people.moderator, shown);
        await chat.goneFromChannel(shown);
      });
    });

    describe('quota, history, help', () => {
      it('quota: the credits left drop by what the resolution costs', async () => {
        people = await chat.people();
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
        const sent = await chat.imagine(people.requester, uniquePrompt('a brass compass'), {
          resolution: '2K',
        });
        expectKind(await chat.outcomeOf(sent), 'image');
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 2);
      });

      it('a prompt that starts with a command word is still a prompt', async () => {
        people = await chat.people();
        const prompt = uniquePrompt('history of Rome');
        const sent = await chat.imagine(people.requester, prompt);
        expect(expectKind(await chat.outcomeOf(sent), 'image').shown.text).toContain(prompt);
      });

      it('history lists the prompts, newest first', async () => {
        const older = await imageFor(uniquePrompt('an old map'));
        const newer = await chat.imagine(people.requester, uniquePrompt('a new map'));
        expectKind(await chat.outcomeOf(newer), 'image');
        // Asked the moment the image appears: the history already lists it.
        const history = await chat.ask(people.requester, 'history');
        const at = (prompt: string) => history.indexOf(prompt);
        expect(at(newer.prompt!)).toBeGreaterThanOrEqual(0);
        expect(at(older.prompt)).toBeGreaterThan(at(newer.prompt!));
      });

      where('help', 'help lists quota and history', async () => {
        people = await chat.people();
        const help = await chat.ask(people.requester, 'help');
        expect(help).toMatch(/quota/);
        expect(help).toMatch(/history/);
      });
    });

    describe('one interaction, one generation', () => {
      it('the same interaction delivered again starts nothing more: one task, one result, one charge', async () => {
        people = await chat.people();
        const prompt = uniquePrompt('only once');
        const sent = await chat.imagine(people.requester, prompt);
        await chat.resend(sent); // while it is in flight
        expectKind(await chat.outcomeOf(sent), 'image');
        await chat.resend(sent); // and once it is done
        // Asked after both were delivered, so the quota answer comes after they were handled.
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
        expect(chat.api.tasksFor(sent.interactionId)).toHaveLength(1);
        expect(chat.resultsShowing(prompt)).toBe(1);
      });
    });

    describe('admin', () => {
      where(
        'admin',
        "an admin sets a member's daily credits; the member's quota shows them",
        async () => {
          people = await chat.people();
          const set = await chat.setDailyCredits(people.moderator, people.member, 3);
          expect(await chat.privateReplyTo(set)).toMatch(/now has 3 credits a day/);
          expect(await chat.ask(people.member, 'quota')).toMatch(/\b3 of 3\b/);
        },
      );

      where('admin', 'a member may not change credits, and nothing changes', async () => {
        people = await chat.people();
        const set = await chat.setDailyCredits(people.member, people.requester, 500);
        expect(await chat.privateReplyTo(set)).toMatch(/^Only .+ can (use|change) /);
        expect(await chat.ask(people.requester, 'quota')).toMatch(
          new RegExp(`\\b${DAILY_CREDITS} of ${DAILY_CREDITS}\\b`),
        );
      });
    });

    describe('refusals: told privately, nothing sent to the API', () => {
      it('an empty prompt', async () => {
        people = await chat.people();
        const sent = await chat.imagine(people.requester, '   ', { aspectRatio: '1:1' });
        expect(await refused(sent)).toBe(
          'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
        );
      });

      where('overlongPrompt', 'a prompt over the limit', async () => {
        people = await chat.people();
        const sent = await chat.imagine(people.requester, 'x'.repeat(20_001));
        expect(await refused(sent)).toBe(
          'Your prompt is 20,001 characters; the limit is 20,000. Shorten it and try again.',
        );
      });

      where('typedOptions', 'an invalid option value', async () => {
        people = await chat.people();
        const sent = await chat.imagine(people.requester, uniquePrompt('a cat'), {
          aspectRatio: '5:7',
        });
        expect(await refused(sent)).toBe(
          '"5:7" is not a valid aspect ratio. Use one of: auto, 1:1, 4:5, 3:4, 2:3, 16:9, 9:16, 21:9.',
        );
      });

      it('out of credits, with the hint that a lower resolution costs less', async () => {
        people = await chat.people();
        const first = await chat.imagine(people.requester, uniquePrompt('a big one'), {
          resolution: '4K',
        });
        expectKind(await chat.outcomeOf(first), 'image');
        const second = await chat.imagine(people.requester, uniquePrompt('another'), {
          resolution: '2K',
        });
        expect(await refused(second)).toMatch(
          /^This image costs 2 credits and you have 1 left today\. Your credits reset .+; a lower resolution costs less\.$/,
        );
        expect(await creditsOf('requester')).toBe(1);
      });

      it(`too many in flight (${MAX_ACTIVE} at once)`, async () => {
        people = await chat.people();
        const held = [];
        for (let i = 0; i < MAX_ACTIVE; i++) {
          const sent = await chat.imagine(people.requester, uniquePrompt(`${HELD_MARKER} slow`));
          await until(() => chat.api.tasksFor(sent.interactionId)[0], 'the held task');
          held.push(sent);
        }
        const third = await chat.imagine(people.requester, uniquePrompt('one more'));
        expect(await refused(third)).toBe(
          `You already have ${MAX_ACTIVE} images generating. Wait for one to finish, then try again.`,
        );
        // The quota answer counts the two in flight, whose credits are held meanwhile.
        const quota = await chat.ask(people.requester, 'quota');
        expect(quota).toMatch(/in (flight|progress)\b/i);
        expect(creditsLeft(quota)).toBe(DAILY_CREDITS - MAX_ACTIVE);
        chat.api.releaseHeld();
        for (const sent of held) expectKind(await chat.outcomeOf(sent), 'image');
      });
    });

    describe('edit, vary, upscale: image-to-image', () => {
      const I2I_MODEL = 'gpt-image-2-image-to-image';
      /** The rule for edits' credits, as /quota and help word it (either apostrophe). */
      const EDIT_COST =
        /Edit, Vary and Upscale cost what a new image of the result[’']s size costs/;
      /** The steps only a driver with `editing`/`ownImages` has; the cases using it are skipped elsewhere. */
      function editing(): EditingDriver {
        const { edit, vary, upscale, imagineFrom } = chat;
        if (!edit || !vary || !upscale || !imagineFrom)
          throw new Error(`the ${spec.platform} driver does not implement EditingDriver`);
        return {
          edit: edit.bind(chat),
          vary: vary.bind(chat),
          upscale: upscale.bind(chat),
          imagineFrom: imagineFrom.bind(chat),
        };
      }
      function messageEditing() {
        const { editImageOn } = chat;
        if (!editImageOn) throw new Error(`the ${spec.platform} driver has no editImageOn`);
        return { editImageOn: editImageOn.bind(chat) };
      }
      /** The one image-to-image task an interaction made, with its sources sent under both names. */
      function imageToImageTaskOf(sent: Sent) {
        const tasks = chat.api.tasksFor(sent.interactionId);
        expect(tasks).toHaveLength(1);
        const task = tasks[0]!;
        expect(task.model).toBe(I2I_MODEL);
        expect(task.input['input_urls']).toEqual(task.input['image_urls']);
        return task;
      }
      /** The public URL the API gave an earlier generation's image. */
      const resultUrlOf = (sent: Sent) =>
        chat.api.sim.resultUrlOf(chat.api.tasksFor(sent.interactionId)[0]!);
      /** What the API fetched as sources for this interaction's task. */
      const fetchedFor = (sent: Sent) => {
        const taskId = chat.api.tasksFor(sent.interactionId)[0]?.taskId;
        return chat.api.sim.sourceFetches
          .filter((fetch) => fetch.taskId === taskId)
          .map(({ status, bytes }) => ({ status, bytes }));
      };
      const resultButtons = (shown: { buttons: readonly string[] }) =>
        shown.buttons.filter((label) => ['Reroll', 'Edit', 'Vary', 'Upscale'].includes(label));

      where(
        'editing',
        'a finished result offers Reroll, Edit, Vary and Upscale, in that order',
        async () => {
          const { shown } = await imageFor();
          expect(resultButtons(shown)).toEqual(['Reroll', 'Edit', 'Vary', 'Upscale']);
        },
      );

      where(
        'editing',
        'Vary: one image-to-image task from the result, with its prompt, keyed by the click, charged at its size',
        async () => {
          const { sent, shown, prompt } = await imageFor();
          const click = await editing().vary(people.requester, shown);
          const varied = expectKind(await chat.outcomeOf(click), 'image').shown;
          const task = imageToImageTaskOf(click);
          expect(task.input.prompt).toBe(prompt);
          expect(task.input['image_urls']).toEqual([resultUrlOf(sent)]);
          expect(task.input.resolution).toBe('1K');
          expect(varied.text).toContain(`Variation of “${prompt}”`);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 2);
        },
      );

      where(
        'editing',
        "Edit: the form's words are the prompt, the result the source; charged to whoever edits",
        async () => {
          const { sent, shown, prompt } = await imageFor();
          const memberBefore = await creditsOf('member');
          const change = uniquePrompt('make the kite red');
          const submitted = await editing().edit(people.member, shown, change);
          const edited = expectKind(await chat.outcomeOf(submitted), 'image').shown;
          const task = imageToImageTaskOf(submitted);
          expect(task.input.prompt).toBe(change);
          expect(task.input['image_urls']).toEqual([resultUrlOf(sent)]);
          expect(edited.text).toContain(`Edited from “${prompt}”`);
          expect(edited.text).toContain(people.member.shownAs);
          expect(await creditsOf('member')).toBe(memberBefore - 1);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
        },
      );

      where('editing', 'Upscale: the next resolution, charged at that resolution', async () => {
        const { sent, shown, prompt } = await imageFor();
        const click = await editing().upscale(people.requester, shown);
        const upscaled = expectKind(await chat.outcomeOf(click), 'image').shown;
        const task = imageToImageTaskOf(click);
        expect(task.input.resolution).toBe('2K');
        expect(task.input.prompt).toBe(
          'Upscale this image to 2K. Keep its content, composition, colours and style exactly as they are.',
        );
        expect(task.input['image_urls']).toEqual([resultUrlOf(sent)]);
        expect(upscaled.text).toContain(`Upscaled to 2K from “${prompt}”`);
        // 1 for the image, 2 for its upscale to 2K.
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 3);
      });

      where(
        'editing',
        'Reroll of a variation is another variation of the same result',
        async () => {
          const { sent, shown, prompt } = await imageFor();
          const click = await editing().vary(people.requester, shown);
          const varied = expectKind(await chat.outcomeOf(click), 'image').shown;
          const reroll = await chat.reroll(people.requester, varied);
          const again = expectKind(await chat.outcomeOf(reroll), 'image').shown;
          const task = imageToImageTaskOf(reroll);
          expect(task.input.prompt).toBe(prompt);
          expect(task.input['image_urls']).toEqual([resultUrlOf(sent)]);
          expect(again.text).toContain(`Variation of “${prompt}”`);
        },
      );

      where('editing', '/history shows what an image was made from', async () => {
        const { shown, prompt } = await imageFor();
        const click = await editing().vary(people.requester, shown);
        expectKind(await chat.outcomeOf(click), 'image');
        expect(await chat.ask(people.requester, 'history')).toContain(`Variation of “${prompt}”`);
      });

      where('editing', '/quota says what an edit costs', async () => {
        people = await chat.people();
        expect(await chat.ask(people.requester, 'quota')).toMatch(EDIT_COST);
      });

      where('help', 'help names Edit, Vary and Upscale and what they cost', async () => {
        people = await chat.people();
        const help = await chat.ask(people.requester, 'help');
        expect(help).toMatch(/\bEdit\b/);
        expect(help).toMatch(/\bVary\b/);
        expect(help).toMatch(/\bUpscale\b/);
        expect(help).toMatch(EDIT_COST);
      });

      where('editing', 'a 4K result is not offered Upscale', async () => {
        people = await chat.people();
        const largest = await chat.imagine(people.requester, uniquePrompt('a wide valley'), {
          resolution: '4K',
        });
        const at4K = expectKind(await chat.outcomeOf(largest), 'image').shown;
        expect(resultButtons(at4K)).toEqual(['Reroll', 'Edit', 'Vary']);
      });

      where('editing', 'a double click on Vary makes one task and one charge', async () => {
        const { shown, prompt } = await imageFor();
        const click = await editing().vary(people.requester, shown);
        await chat.resend(click); // while it is in flight
        expectKind(await chat.outcomeOf(click), 'image');
        await chat.resend(click); // and once it is done
        expect(chat.api.tasksFor(click.interactionId)).toHaveLength(1);
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 2);
        // The image and its one variation (which quotes it).
        expect(chat.resultsShowing(prompt)).toBe(2);
      });

      where(
        'ownImages',
        'starting from an own image: one image-to-image task with it as the source, shown as made from it',
        async () => {
          people = await chat.people();
          const prompt = uniquePrompt('turn it into a watercolour');
          const png = encodePng(48, 32, (x) => [x * 5, 120, 200]);
          const sent = await editing().imagineFrom(people.requester, prompt, [
            { name: 'sketch.png', contentType: 'image/png', bytes: png },
          ]);
          const { shown } = expectKind(await chat.outcomeOf(sent), 'image');
          const task = imageToImageTaskOf(sent);
          expect(task.input.prompt).toBe(prompt);
          expect(task.input['image_urls']).toHaveLength(1);
          expect(fetchedFor(sent)).toEqual([{ status: 200, bytes: png.length }]);
          expect(shown.text).toContain('From sketch.png');
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
        },
      );

      where(
        'editImage',
        'Edit image on a message with two images: the one picked is the source',
        async () => {
          people = await chat.people();
          const first = encodePng(20, 20, () => [250, 0, 0]);
          const second = encodePng(40, 30, () => [0, 0, 250]);
          const prompt = uniquePrompt('make it a night scene');
          const submitted = await messageEditing().editImageOn(
            people.requester,
            [
              { name: 'red.png', contentType: 'image/png', bytes: first },
              { name: 'blue.png', contentType: 'image/png', bytes: second },
            ],
            1,
            prompt,
          );
          const { shown } = expectKind(await chat.outcomeOf(submitted), 'image');
          const task = imageToImageTaskOf(submitted);
          expect(task.input.prompt).toBe(prompt);
          expect(fetchedFor(submitted)).toEqual([{ status: 200, bytes: second.length }]);
          expect(shown.text).toContain('From blue.png');
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
        },
      );

      where(
        'ownImages',
        'a file named and typed as an image that is not one is refused privately: no status, no task, no charge',
        async () => {
          people = await chat.people();
          const prompt = uniquePrompt('make this pretty');
          // Named .png so every platform's picker offers it (Slack's file input takes image names
          // only); what it holds is found out when it is checked.
          const sent = await editing().imagineFrom(people.requester, prompt, [
            { name: 'notes.png', contentType: 'image/png', bytes: Buffer.from('not a picture') },
          ]);
          expect(await refused(sent)).toBe(
            '"notes.png" is not an image. Use a PNG, JPEG or WEBP image and try again.',
          );
          expect(chat.resultsShowing(prompt)).toBe(0);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
        },
      );
    });

    describe('the image API fails', () => {
      it('a task that fails shows its failMsg in place, with the credits back and Try again', async () => {
        people = await chat.people();
        const sent = await chat.imagine(people.requester, uniquePrompt(`risky ${FAIL_MARKER}`));
        const { shown } = expectKind(await chat.outcomeOf(sent), 'failure');
        expect(shown.text).toContain(CONTENT_POLICY_FAIL_MESSAGE);
        expect(shown.text).toContain('(code 400)');
        expect(shown.text).toMatch(/credits were refunded/);
        expect(shown.buttons).toContain('Try again');
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
      });

      it('a task the API loses track of is shown in place with the credits back; Try again makes it anew', async () => {
        people = await chat.people();
        chat.api.inject({ endpoint: 'recordInfo', kind: { type: 'status', status: 404 } });
        const prompt = uniquePrompt('a paper boat');
        const sent = await chat.imagine(people.requester, prompt);
        const { shown } = expectKind(await chat.outcomeOf(sent), 'failure');
        expect(shown.text).toContain('The image service lost track of this generation');
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
        const retry = await chat.retry(people.requester, shown);
        const again = expectKind(await chat.outcomeOf(retry), 'image').shown;
        expect(again.text).toContain(prompt);
        expect(chat.api.tasksFor(retry.interactionId)).toHaveLength(1);
        // The requester's retry replaces the failure: one message for one request, not two.
        await chat.goneFromChannel(shown);
      });

      it.each([
        [
          401,
          'The image service is not accepting this bot right now. The bot operator has been told; please try again later.',
          'AIGPTIMAGE_API_KEY was rejected (401)',
        ],
        [
          402,
          'The bot has run out of image credits with the image service. Your credits were not used; please ask the bot operator to top up.',
          'out of credits (402): top up the balance',
        ],
      ] as const)(
        'createTask answers %i: the person is told, the operator gets the fix, credits back',
        async (status, told, operatorLine) => {
          people = await chat.people();
          chat.api.inject({ endpoint: 'createTask', kind: { type: 'status', status } });
          const sent = await chat.imagine(people.requester, uniquePrompt('a harmless cat'));
          // Slack says which image it was about first ("Image failed: …").
          expect(await toldAbout(sent)).toContain(told);
          expect(chat.operatorLog()).toContain(operatorLine);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
        },
      );

      it.each([
        [
          'a burst of 500s',
          { endpoint: 'createTask', times: 2, kind: { type: 'status', status: 500 } },
          3,
        ],
        [
          'a call that hangs past the time limit',
          { endpoint: 'createTask', kind: { type: 'hang' } },
          2,
        ],
        [
          'the connection dropping after the API took the task',
          { endpoint: 'createTask', afterCreate: true, kind: { type: 'reset' } },
          2,
        ],
      ] as const)(
        '%s: createTask is sent again with the same X-Request-ID, one task, one image, one charge',
        async (_what, fault, leastCalls) => {
          people = await chat.people();
          const before = chat.api.createRequestIds().length;
          chat.api.inject(fault);
          const sent = await chat.imagine(people.requester, uniquePrompt('persistence'));
          expectKind(await chat.outcomeOf(sent), 'image');
          const calls = chat.api.createRequestIds().slice(before);
          expect(calls.length).toBeGreaterThanOrEqual(leastCalls);
          expect(new Set(calls)).toEqual(new Set([sent.interactionId]));
          expect(chat.api.tasksFor(sent.interactionId)).toHaveLength(1);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
        },
      );

      it.each([
        [
          'a 500',
          { type: 'status', status: 500 },
          'The image service is having trouble right now. Your credits were refunded; please try again in a few minutes.',
          'kept failing on its side (500)',
        ],
        [
          'an HTML page',
          { type: 'html', status: 200 },
          'The image service sent an answer the bot could not read. Your credits were refunded; please try again.',
          'was not its JSON',
        ],
      ] as const)(
        'createTask answers %s to every attempt: the person is told, credits back; the operator gets the likely cause',
        async (_what, kind, told, operatorLine) => {
          people = await chat.people();
          const before = chat.api.createRequestIds().length;
          chat.api.inject({ endpoint: 'createTask', times: FAST_CREATE_RETRY.maxAttempts, kind });
          const sent = await chat.imagine(people.requester, uniquePrompt('a stubborn cat'));
          expect(await toldAbout(sent)).toContain(told);
          const calls = chat.api.createRequestIds().slice(before);
          expect(calls).toEqual(Array(FAST_CREATE_RETRY.maxAttempts).fill(sent.interactionId));
          expect(chat.operatorLog()).toContain(operatorLine);
          expect(await creditsOf('requester')).toBe(DAILY_CREDITS);
        },
      );

      it('a 429 from createTask is waited out, not lost: one task, one image', async () => {
        people = await chat.people();
        chat.api.inject({
          endpoint: 'createTask',
          kind: { type: 'status', status: 429, retryAfter: 1 },
        });
        const sent = await chat.imagine(people.requester, uniquePrompt('patience'));
        expectKind(await chat.outcomeOf(sent), 'image');
        expect(chat.api.tasksFor(sent.interactionId)).toHaveLength(1);
      });

      it('an HTML page instead of JSON from createTask is retried, not lost: one task, one image', async () => {
        people = await chat.people();
        chat.api.inject({ endpoint: 'createTask', kind: { type: 'html', status: 200 } });
        const sent = await chat.imagine(people.requester, uniquePrompt('a lantern'));
        expectKind(await chat.outcomeOf(sent), 'image');
        expect(chat.api.tasksFor(sent.interactionId)).toHaveLength(1);
        expect(await creditsOf('requester')).toBe(DAILY_CREDITS - 1);
      });

      it('an unreadable task record is polled again: the image still arrives', async () => {
        people = await chat.people();
        chat.api.inject({ endpoint: 'recordInfo', kind: { type: 'garbage-result' } });
        const sent = await chat.imagine(people.requester, uniquePrompt('a signal fire'));
        expectKind(await chat.outcomeOf(sent), 'image');
        expect(chat.api.tasksFor(sent.interactionId)).toHaveLength(1);
      });
    });

    operatorControlCases({ chat: () => chat, where, refused });
  },
);
