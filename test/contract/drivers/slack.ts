import type { EphemeralMessage, FakeMessage } from '../../fakes/slack/index.js';
import { ART, GENERAL, startSlackHarness } from '../../fakes/slack/harness.js';
import {
  ActionLog,
  CONTRACT_ENV,
  CONTRACT_TUNING,
  DAILY_CREDITS,
  ShownObjects,
  typedFlags,
  typedSetting,
  until,
  type ChatDriver,
  type DriverSpec,
  type OfferedFile,
  type Outcome,
  type People,
  type Person,
  type Sent,
  type Shown,
} from '../driver.js';
import { ImageApiControls } from '../image-api.js';

const TASK_MS = 150;
const PROGRESS = /^(Queued|Generating)\b/;
const SECRETS = ['xoxb-fake-bot-token', 'xapp-fake-app-token', 'sk-test-slack'];

type Json = Record<string, unknown>;

/** The words of Block Kit blocks, as a person reads them (buttons excluded). */
function blockWords(blocks: unknown[] | undefined): string[] {
  const words: string[] = [];
  const visit = (node: unknown, inButton: boolean): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, inButton));
    if (typeof node !== 'object' || node === null) return;
    const object = node as Json;
    const button = inButton || object.type === 'button';
    if (!button && typeof object.text === 'string') words.push(object.text);
    for (const [key, value] of Object.entries(object))
      if (key !== 'text' || typeof value !== 'string') visit(value, button);
  };
  visit(blocks ?? [], false);
  return words;
}

function buttonsOf(blocks: unknown[] | undefined): Array<{ label: string; actionId: string }> {
  const found: Array<{ label: string; actionId: string }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const object = node as Json;
    if (object.type === 'button')
      found.push({
        label: (object.text as { text?: string } | undefined)?.text ?? '',
        actionId: String(object.action_id),
      });
    else Object.values(object).forEach(visit);
  };
  visit(blocks ?? []);
  return found;
}

const wordsOf = (message: { text?: string; blocks?: unknown[] }) =>
  [message.text ?? '', ...blockWords(message.blocks)].join('\n');

/** A private note's words: its text, and whatever its blocks show that the text does not. */
function noteText(note: EphemeralMessage): string {
  const text = note.text ?? '';
  const more = blockWords(note.blocks).filter((words) => !text.includes(words));
  return [text, ...more].join('\n').trim();
}

interface Mark {
  messages: number;
  ephemerals: number;
  views: number;
}

async function startSlackDriver(): Promise<ChatDriver> {
  const h = await startSlackHarness({
    mode: 'socket',
    taskDurationMs: TASK_MS,
    dailyCredits: DAILY_CREDITS,
    env: { ...CONTRACT_ENV },
    tuning: CONTRACT_TUNING,
  });
  const { fake } = h;
  const ws = fake.workspace;
  const api = new ImageApiControls(h.sim, TASK_MS);
  const marks = new Map<string, Mark>();
  /** What each slash command said, to send it again. */
  const typed = new Map<string, { text: string; userId: string; responseUrl: string }>();
  const actions = new ActionLog();
  const messages = new ShownObjects<FakeMessage>();
  let count = 0;

  const mark = (): Mark => ({
    messages: ws.messages.length,
    ephemerals: ws.ephemerals.length,
    views: ws.views.length,
  });
  const person = (role: Person['role']): Person => {
    count++;
    const id = `U0${role.slice(0, 3).toUpperCase()}${count}`;
    ws.addUser({ id, name: `${role}${count}`, isAdmin: role === 'moderator' });
    for (const channel of [GENERAL, ART]) ws.channels.get(channel)!.members.add(id);
    return { role, id, shownAs: `<@${id}>` };
  };
  const sent = (by: Person, triggerId: string, at: Mark, prompt?: string): Sent => {
    marks.set(triggerId, at);
    actions.add(triggerId, by.id);
    return { by, interactionId: triggerId, ...(prompt !== undefined ? { prompt } : {}) };
  };
  const markOf = (action: Sent) => {
    const at = marks.get(action.interactionId);
    if (!at) throw new Error(`no interaction ${action.interactionId}`);
    return at;
  };
  const shown = (message: FakeMessage): Shown =>
    messages.remember(
      { text: wordsOf(message), buttons: buttonsOf(message.blocks).map((b) => b.label) },
      message,
    );
  /** Each click, to deliver it again. */
  const clicks = new Map<string, { userId: string; message: FakeMessage; actionId: string }>();
  const click = async (by: Person, on: Shown, label: RegExp): Promise<Sent> => {
    const message = messages.of(on);
    const button = buttonsOf(message.blocks).find((candidate) => label.test(candidate.label));
    if (!button) throw new Error(`no ${String(label)} button on the message`);
    const at = mark();
    const pressed = { userId: by.id, message, actionId: button.actionId };
    const { triggerId } = await fake.clickButton(pressed);
    clicks.set(triggerId, pressed);
    return sent(by, triggerId, at);
  };
  /** The next modal this person sees after `since`, by its callback id. */
  const modalAfter = (by: Person, since: Mark, callbackId: string) =>
    until(
      () =>
        ws.views
          .slice(since.views)
          .find((opened) => opened.user === by.id && opened.view.callback_id === callbackId),
      `the ${callbackId} modal`,
    );
  /** A message posted after the mark, by this person's request (and showing the prompt, if known). */
  const postedFor = (action: Sent, check: (message: FakeMessage) => boolean) =>
    ws.messages
      .slice(markOf(action).messages)
      .find(
        (message) =>
          !message.deleted &&
          check(message) &&
          wordsOf(message).includes(`requested by <@${action.by.id}>`) &&
          (action.prompt === undefined || wordsOf(message).includes(action.prompt)),
      );
  /** Files this person uploaded to Slack, ready to attach. */
  const uploadedBy = (by: Person, files: OfferedFile[]) =>
    files.map((file) =>
      ws.addUserFile({
        user: by.id,
        name: file.name,
        bytes: file.bytes,
        mimetype: file.contentType,
      }),
    );
  const notesAfter = (action: Sent) => {
    const next = actions.nextAfter(action.interactionId, action.by.id);
    return ws.ephemerals
      .slice(markOf(action).ephemerals, next ? marks.get(next)!.ephemerals : undefined)
      .filter((note) => note.user === action.by.id && noteText(note) !== '');
  };

  const driver: ChatDriver = {
    platform: 'slack',
    api,
    async people(): Promise<People> {
      return {
        requester: person('requester'),
        member: person('member'),
        moderator: person('moderator'),
      };
    },
    async imagine(by, prompt, options = {}) {
      const at = mark();
      const text = `${prompt} ${typedFlags(options)}`;
      const { triggerId, responseUrl } = await fake.slashCommand({
        text,
        userId: by.id,
        channelId: GENERAL,
      });
      typed.set(triggerId, { text, userId: by.id, responseUrl });
      return sent(by, triggerId, at, prompt);
    },
    async resend(action) {
      const pressed = clicks.get(action.interactionId);
      if (pressed) {
        const retry = { attempt: 1, reason: 'timeout' };
        await fake.clickButton({ ...pressed, triggerId: action.interactionId, retry });
        return;
      }
      const command = typed.get(action.interactionId);
      if (!command) throw new Error(`${action.interactionId} was not a slash command`);
      await fake.slashCommand({
        ...command,
        channelId: GENERAL,
        triggerId: action.interactionId,
        retry: { attempt: 1, reason: 'timeout' },
      });
    },
    resultsShowing: (prompt) =>
      fake
        .messagesIn(GENERAL)
        .filter((message) => message.files.length > 0 && wordsOf(message).includes(prompt)).length,
    async setDailyCredits(by, of, daily) {
      const at = mark();
      const name = ws.users.get(of.id)?.name ?? of.id;
      const { triggerId } = await fake.slashCommand({
        text: `admin credits <@${of.id}|${name}> ${daily}`,
        userId: by.id,
        channelId: GENERAL,
      });
      return sent(by, triggerId, at);
    },
    otherChannelShownAs: `<#${ART}>`,
    async changeSetting(by, change) {
      const at = mark();
      const channel = (which: 'main' | 'other') => {
        const id = which === 'main' ? GENERAL : ART;
        return `<#${id}|${ws.channels.get(id)!.name}>`;
      };
      const { triggerId } = await fake.slashCommand({
        text: `admin ${typedSetting(change, channel)}`,
        userId: by.id,
        channelId: GENERAL,
      });
      return sent(by, triggerId, at);
    },
    async outcomeOf(action): Promise<Outcome> {
      const hasButton = (message: FakeMessage, label: string) =>
        buttonsOf(message.blocks).some((button) => button.label === label);
      return until(() => {
        const image = postedFor(action, (message) => message.files.length > 0);
        if (image) return { kind: 'image' as const, shown: shown(image) };
        const failure = postedFor(action, (message) => hasButton(message, 'Try again'));
        if (failure) return { kind: 'failure' as const, shown: shown(failure) };
        // A private request's "Generating…" note is progress, not an answer.
        const note = notesAfter(action).find((candidate) => !PROGRESS.test(noteText(candidate)));
        return note && { kind: 'refusal' as const, text: noteText(note) };
      }, `the outcome of ${action.interactionId}`);
    },
    reroll: (by, on) => click(by, on, /^Reroll$/),
    retry: (by, on) => click(by, on, /^Try again$/),
    async share(by, on) {
      const pressed = await click(by, on, /^Share/);
      const view = await until(
        () =>
          ws.views
            .slice(markOf(pressed).views)
            .find((opened) => opened.user === by.id && opened.view.type === 'modal'),
        'the share modal',
      );
      const at = mark();
      await fake.submitView({ userId: by.id, view, values: { channel: { conversation: ART } } });
      return sent(by, `${pressed.interactionId}:submit`, at);
    },
    async sharedCopyOf(action) {
      const copy = await until(
        () =>
          ws.messages
            .slice(markOf(action).messages)
            .find(
              (message) => message.channel === ART && !message.deleted && message.files.length > 0,
            ),
        'the shared copy',
      );
      return shown(copy);
    },
    remove: (by, on) => click(by, on, /^Delete$/),
    vary: (by, on) => click(by, on, /^Vary$/),
    upscale: (by, on) => click(by, on, /^Upscale$/),
    async edit(by, on, prompt) {
      const pressed = await click(by, on, /^Edit$/);
      const view = await modalAfter(by, markOf(pressed), 'imagine_edit_modal');
      const at = mark();
      const { triggerId } = await fake.submitView({ userId: by.id, view, values: { prompt } });
      return sent(by, triggerId, at, prompt);
    },
    /** The generate modal (opened by `/imagine` alone) with the files put in its file input. */
    async imagineFrom(by, prompt, files) {
      const opening = mark();
      await fake.slashCommand({ text: '', userId: by.id, channelId: GENERAL });
      const view = await modalAfter(by, opening, 'imagine_generate_modal');
      const at = mark();
      const { triggerId } = await fake.submitView({
        userId: by.id,
        view,
        values: {
          prompt,
          images: { files: uploadedBy(by, files) },
          channel: { conversation: GENERAL },
        },
      });
      return sent(by, triggerId, at, prompt);
    },
    /**
     * Posts the files in a message, chooses the "Edit image" shortcut on it, presses the picked
     * image's "Edit this one" when the picker asks (it then turns into the edit form in place),
     * and submits the form.
     */
    async editImageOn(by, files, pick, prompt) {
      const posted = ws.addUserMessage({
        channel: GENERAL,
        user: by.id,
        files: uploadedBy(by, files),
      });
      const shortcut = await fake.messageShortcut({
        userId: by.id,
        callbackId: 'imagine_edit_image',
        message: posted,
      });
      const modal = await until(
        () => ws.views.find((opened) => opened.triggerId === shortcut.triggerId),
        'the modal "Edit image" opens',
      );
      if (modal.view.callback_id === 'imagine_pick_source_modal') {
        const choices = (modal.view.blocks as Json[]).filter(
          (block) => (block.accessory as Json | undefined)?.action_id === 'imagine_pick_source',
        );
        const choice = choices[pick];
        if (!choice) throw new Error(`the picker offers ${choices.length} images, not ${pick + 1}`);
        await fake.clickInView({
          userId: by.id,
          view: modal,
          actionId: 'imagine_pick_source',
          blockId: String(choice.block_id),
        });
      }
      await until(() => modal.view.callback_id === 'imagine_edit_modal', 'the edit modal');
      const at = mark();
      const { triggerId } = await fake.submitView({
        userId: by.id,
        view: modal,
        values: { prompt },
      });
      return sent(by, triggerId, at, prompt);
    },
    seenByOthers: (on) => ws.channels.get(messages.of(on).channel)?.kind !== 'im',
    isShown: (on) => !messages.of(on).deleted,
    async goneFromChannel(on) {
      const message = messages.of(on);
      await until(() => message.deleted, 'the message to be deleted');
    },
    async privateReplyTo(action) {
      const [note] = await until(
        () => notesAfter(action).length > 0 && notesAfter(action),
        `a private reply to ${action.interactionId}`,
      );
      return noteText(note!);
    },
    async ask(by, what) {
      const at = mark();
      const { triggerId } = await fake.slashCommand({
        text: what,
        userId: by.id,
        channelId: GENERAL,
      });
      return driver.privateReplyTo(sent(by, triggerId, at));
    },
    privateTextsOf: (by) => fake.ephemeralsFor(by.id).map(noteText),
    operatorLog: () => h.logs.join(''),
    leakedSecrets: () => SECRETS.filter((secret) => h.logs.join('').includes(secret)),
    close: () => h.close(),
  };
  return driver;
}

export const slack: DriverSpec = {
  platform: 'slack',
  capabilities: {
    typedOptions: true,
    overlongPrompt: true,
    help: true,
    admin: true,
    editing: true,
    ownImages: true,
    editImage: true,
    operatorControls: true,
  },
  missing: {},
  start: startSlackDriver,
};
