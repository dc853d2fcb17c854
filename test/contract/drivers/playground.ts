import { clientId, PlaygroundApiClient } from '../../browser/playground-api-client.js';
import {
  startPlayground,
  type ChatMessage,
  type JobCard,
  type PlaygroundHarness,
} from '../../browser/playground-harness.js';
import { startImageApiSimulator } from '../../fakes/image-api/index.js';
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
  type Outcome,
  type People,
  type Person,
  type Sent,
  type Shown,
} from '../driver.js';
import { ImageApiControls } from '../image-api.js';

const TASK_MS = 150;
const API_KEY = 'sk-contract-playground-0001';
const CHANNEL = 'general';
const OTHER_CHANNEL = 'showcase';
/** The playground's own pretend people: a member, a member with few credits, a moderator. */
const VIEWERS = { requester: 'ada', member: 'ben', moderator: 'mo' } as const;
const NAMES: Record<string, string> = { ada: 'Ada', ben: 'Ben', mo: 'Mo' };

/** A card as the page shows it: who, the status line, the prompt, the options. */
function cardText(card: JobCard): string {
  const meta = card.sharedBy
    ? `shared by ${card.sharedBy} · requested by ${card.requestedBy}`
    : `${card.requestedBy} used /imagine`;
  return [
    meta,
    card.status,
    card.prompt,
    card.madeFrom,
    `${card.options} · requested by ${card.requestedBy}`,
  ]
    .filter(Boolean)
    .join('\n');
}

const isCard = (message: ChatMessage): message is ChatMessage & { body: JobCard } =>
  message.body.type === 'job';

async function startPlaygroundDriver(): Promise<ChatDriver> {
  const sim = await startImageApiSimulator({ taskDurationMs: TASK_MS });
  const api = new ImageApiControls(sim, TASK_MS);
  let harness: PlaygroundHarness | undefined;
  let clients = new Map<string, PlaygroundApiClient>();
  /** Per interaction: the messages its person could see before it. */
  const seenBefore = new Map<string, Set<string>>();
  /** How to send each interaction again, as the page would (same id). */
  const replays = new Map<string, () => Promise<unknown>>();
  const actions = new ActionLog();
  const cards = new ShownObjects<{ viewer: string; messageId: string }>();

  const closeBot = async () => {
    await Promise.all([...clients.values()].map((client) => client.close()));
    clients = new Map();
    await harness?.close();
    harness = undefined;
  };
  const client = (by: Person) => {
    const found = clients.get(by.id);
    if (!found) throw new Error(`${by.id} has no page open`);
    return found;
  };
  const sent = (by: Person, id: string, prompt?: string): Sent => {
    seenBefore.set(`playground-${id}`, new Set(client(by).messages.keys()));
    actions.add(`playground-${id}`, by.id);
    return { by, interactionId: `playground-${id}`, ...(prompt !== undefined ? { prompt } : {}) };
  };
  const newSince = (action: Sent): ChatMessage[] => {
    const before = seenBefore.get(action.interactionId);
    if (!before) throw new Error(`no interaction ${action.interactionId}`);
    const next = actions.nextAfter(action.interactionId, action.by.id);
    const beforeNext = next && seenBefore.get(next)!;
    return [...client(action.by).messages.values()].filter(
      (message) => !before.has(message.id) && (!beforeNext || beforeNext.has(message.id)),
    );
  };
  const noticeText = (message: ChatMessage) =>
    message.body.type === 'notice' ? message.body.lines.join('\n') : undefined;
  const shown = (viewer: string, message: ChatMessage & { body: JobCard }): Shown =>
    cards.remember(
      { text: cardText(message.body), buttons: message.body.actions.map((a) => a.label) },
      { viewer, messageId: message.id },
    );
  const click = async (
    by: Person,
    on: Shown,
    action: 'reroll' | 'retry' | 'edit' | 'vary' | 'upscale' | 'delete' | 'share',
    channel?: string,
  ): Promise<Sent> => {
    const id = clientId();
    const action_ = sent(by, id);
    const press = () => client(by).click(cards.of(on).messageId, action, channel, id);
    replays.set(action_.interactionId, press);
    await press();
    return action_;
  };

  /** Sends the edit form with what to change; the submission keys the generation. */
  const submitForm = async (by: Person, formId: string, prompt: string): Promise<Sent> => {
    const id = clientId();
    const submitted = sent(by, id, prompt);
    const send = () => client(by).editStep(formId, { prompt }, id);
    replays.set(submitted.interactionId, send);
    await send();
    return submitted;
  };

  const driver: ChatDriver = {
    platform: 'playground',
    api,
    /** The playground has three people only: fresh ones mean a fresh playground (on the same API). */
    async people(): Promise<People> {
      await closeBot();
      harness = await startPlayground({
        env: {
          ...CONTRACT_ENV,
          AIGPTIMAGE_API_KEY: API_KEY,
          AIGPTIMAGE_BASE_URL: sim.url,
        },
        tuning: CONTRACT_TUNING,
      });
      const url = harness.url;
      for (const viewer of Object.values(VIEWERS))
        clients.set(viewer, await PlaygroundApiClient.open(url, viewer));
      // Ben is the playground's member with few credits; here everyone has the suite's allowance.
      const moderator = clients.get(VIEWERS.moderator)!;
      await moderator.command(`/imagine admin credits @${VIEWERS.member} ${DAILY_CREDITS}`);
      await moderator.until(() => moderator.notices().length === 1, 'the credits set');
      const person = (role: Person['role']): Person => ({
        role,
        id: VIEWERS[role],
        shownAs: NAMES[VIEWERS[role]]!,
      });
      return {
        requester: person('requester'),
        member: person('member'),
        moderator: person('moderator'),
      };
    },
    async imagine(by, prompt, options = {}) {
      const id = clientId();
      const action = sent(by, id, prompt);
      const text = `/imagine ${prompt} ${typedFlags(options)}`;
      replays.set(action.interactionId, () => client(by).command(text, CHANNEL, id));
      await client(by).command(text, CHANNEL, id);
      return action;
    },
    async resend(action) {
      const replay = replays.get(action.interactionId);
      if (!replay) throw new Error(`${action.interactionId} cannot be sent again`);
      await replay();
    },
    resultsShowing: (prompt) =>
      [...clients.get(VIEWERS.requester)!.messages.values()]
        .filter(isCard)
        .filter(
          (message) =>
            message.channelId === CHANNEL &&
            message.body.state === 'done' &&
            message.body.prompt.includes(prompt),
        ).length,
    async setDailyCredits(by, of, daily) {
      const id = clientId();
      const action = sent(by, id);
      await client(by).command(`/imagine admin credits @${of.id} ${daily}`, CHANNEL, id);
      return action;
    },
    otherChannelShownAs: `#${OTHER_CHANNEL}`,
    async changeSetting(by, change) {
      const id = clientId();
      const action = sent(by, id);
      const channel = (which: 'main' | 'other') => `#${which === 'main' ? CHANNEL : OTHER_CHANNEL}`;
      await client(by).command(`/imagine admin ${typedSetting(change, channel)}`, CHANNEL, id);
      return action;
    },
    async outcomeOf(action): Promise<Outcome> {
      const page = client(action.by);
      return until(() => {
        const card = [...page.messages.values()]
          .filter(isCard)
          .find((message) => message.body.requestId === action.interactionId);
        if (card?.body.state === 'done')
          return { kind: 'image' as const, shown: shown(action.by.id, card) };
        if (card?.body.state === 'failed')
          return { kind: 'failure' as const, shown: shown(action.by.id, card) };
        const text = newSince(action).map(noticeText).find(Boolean);
        return text ? { kind: 'refusal' as const, text } : undefined;
      }, `the outcome of ${action.interactionId}`);
    },
    reroll: (by, on) => click(by, on, 'reroll'),
    retry: (by, on) => click(by, on, 'retry'),
    share: (by, on) => click(by, on, 'share', OTHER_CHANNEL),
    async sharedCopyOf(action) {
      const copy = await until(
        () =>
          newSince(action)
            .filter(isCard)
            .find((message) => message.channelId === OTHER_CHANNEL),
        'the shared copy',
      );
      return shown(action.by.id, copy);
    },
    remove: (by, on) => click(by, on, 'delete'),
    vary: (by, on) => click(by, on, 'vary'),
    upscale: (by, on) => click(by, on, 'upscale'),
    async edit(by, on, prompt) {
      // Edit opens the form (a private message of the clicker); sending it starts the edit.
      const opened = await click(by, on, 'edit');
      const form = await until(
        () => newSince(opened).find((message) => message.body.type === 'edit-form'),
        'the edit form',
      );
      return submitForm(by, form.id, prompt);
    },
    async editImageOn(by, files, pick, prompt) {
      // Posted as the page does (images without a prompt), then "Edit image" on the post.
      const page = client(by);
      const uploads: string[] = [];
      for (const file of files) uploads.push((await page.upload(file.bytes, file.name)).body.id!);
      await page.command('', CHANNEL, clientId(), uploads);
      const posted = await until(
        () => [...page.messages.values()].find((message) => message.body.type === 'post'),
        'the posted images',
      );
      const press = sent(by, clientId());
      await page.click(
        posted.id,
        'edit-image',
        undefined,
        press.interactionId.replace(/^playground-/, ''),
      );
      const privateStep = (type: 'source-pick' | 'edit-form') =>
        until(() => newSince(press).find((message) => message.body.type === type), `the ${type}`);
      if (files.length > 1) {
        const picker = await privateStep('source-pick');
        const picked = sent(by, clientId());
        await page.editStep(
          picker.id,
          { choice: pick },
          picked.interactionId.replace(/^playground-/, ''),
        );
        const form = await until(
          () => newSince(picked).find((message) => message.body.type === 'edit-form'),
          'the edit form',
        );
        return submitForm(by, form.id, prompt);
      }
      return submitForm(by, (await privateStep('edit-form')).id, prompt);
    },
    async imagineFrom(by, prompt, files) {
      // Attached as the page does: each file uploaded first; one refused is said at once.
      const id = clientId();
      const action = sent(by, id, prompt);
      const uploads: string[] = [];
      for (const file of files) {
        const { body } = await client(by).upload(file.bytes, file.name, id, CHANNEL);
        if (!body.id) return action;
        uploads.push(body.id);
      }
      const send = () => client(by).command(`/imagine ${prompt}`, CHANNEL, id, uploads);
      replays.set(action.interactionId, send);
      await send();
      return action;
    },
    seenByOthers(on) {
      const { viewer, messageId } = cards.of(on);
      return clients.get(viewer)?.messages.get(messageId)?.visibleTo === undefined;
    },
    isShown(on) {
      const { viewer, messageId } = cards.of(on);
      return clients.get(viewer)?.messages.has(messageId) ?? false;
    },
    async goneFromChannel(on) {
      await until(() => !driver.isShown(on), 'the card to be deleted');
    },
    async privateReplyTo(action) {
      return until(
        () => newSince(action).map(noticeText).find(Boolean),
        `a private reply to ${action.interactionId}`,
      );
    },
    async ask(by, what) {
      const id = clientId();
      const action = sent(by, id);
      await client(by).command(`/${what}`, CHANNEL, id);
      return driver.privateReplyTo(action);
    },
    privateTextsOf: (by) =>
      [...client(by).messages.values()].flatMap((message) => noticeText(message) ?? []),
    operatorLog: () => harness?.logs.join('') ?? '',
    leakedSecrets: () => (harness?.logs.join('').includes(API_KEY) ? [API_KEY] : []),
    async close() {
      await closeBot();
      await sim.close();
    },
  };
  return driver;
}

export const playground: DriverSpec = {
  platform: 'playground',
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
  start: startPlaygroundDriver,
};
