import {
  isLoading,
  showsFailure,
  showsImage,
  startDiscordTestBed,
} from '../../fakes/discord/harness.js';
import {
  current,
  MEMBER_PERMISSIONS,
  MessageFlag,
  Permission,
  textOf,
  type FakeMessage,
  type FakeUser,
  type InteractionHandle,
  type CommandInput,
  type MessageRevision,
} from '../../fakes/discord/index.js';
import {
  CONTRACT_ENV,
  CONTRACT_TUNING,
  ShownObjects,
  until,
  type ChatDriver,
  type DriverSpec,
  type ImagineOptions,
  type Outcome,
  type People,
  type Person,
  type Sent,
  type Shown,
} from '../driver.js';
import { ImageApiControls } from '../image-api.js';

const TASK_MS = 150;
const StringSelect = 3;
const ChannelSelect = 8;
const PROGRESS = /^(Queued|Generating)\b/;

interface Component {
  type: number;
  label?: string;
  custom_id?: string;
}

/** The text inputs of a form, whether wrapped in labels or (the older way) in action rows. */
function modalFieldIds(form: Record<string, unknown>): string[] {
  return ((form.components as Array<Record<string, unknown>> | undefined) ?? []).flatMap((row) => {
    const inner = (row.component ?? (row.components as unknown[] | undefined)?.[0]) as
      { custom_id?: string } | undefined;
    return inner?.custom_id ? [inner.custom_id] : [];
  });
}

function componentsOf(revision: MessageRevision): Component[] {
  return revision.components.flatMap((row) => (row.components as Component[] | undefined) ?? []);
}

const isEphemeral = (revision: MessageRevision) => (revision.flags & MessageFlag.Ephemeral) !== 0;

/** A private text answer: ephemeral, past "thinking…", words rather than a status or result card. */
function privateText(message: FakeMessage | undefined): string | undefined {
  if (!message || message.deleted) return undefined;
  const revision = current(message);
  if (!isEphemeral(revision) || isLoading(revision)) return undefined;
  const text = textOf(revision).trim();
  return text === '' ? undefined : text;
}

async function startDiscordDriver(): Promise<ChatDriver> {
  const bed = await startDiscordTestBed({
    env: { ...CONTRACT_ENV },
    sim: { taskDurationMs: TASK_MS },
    tuning: CONTRACT_TUNING,
  });
  const { fake } = bed;
  const api = new ImageApiControls(bed.sim, TASK_MS);
  const shareChannel = fake.addChannel({ name: 'contract-showcase' });
  const users = new Map<string, { user: FakeUser; permissions: bigint }>();
  const handles = new Map<string, InteractionHandle>();
  const messages = new ShownObjects<FakeMessage>();
  const copiesBefore = new Map<string, Set<string>>();
  let count = 0;

  const person = (role: Person['role'], permissions: bigint): Person => {
    count++;
    const user = fake.user(`${role}${count}`);
    users.set(user.id, { user, permissions });
    return { role, id: user.id, shownAs: `<@${user.id}>` };
  };
  const actor = (by: Person) => {
    const found = users.get(by.id);
    if (!found) throw new Error(`${by.id} is not a person of this driver`);
    return { user: found.user, memberPermissions: found.permissions };
  };
  const sent = (by: Person, handle: InteractionHandle, prompt?: string): Sent => {
    handles.set(handle.id, handle);
    return { by, interactionId: handle.id, ...(prompt !== undefined ? { prompt } : {}) };
  };
  const handleOf = (action: Sent) => {
    const handle = handles.get(action.interactionId);
    if (!handle) throw new Error(`no interaction ${action.interactionId}`);
    return handle;
  };
  const shown = (message: FakeMessage): Shown => {
    const revision = current(message);
    const labels = componentsOf(revision).flatMap((c) => (c.label ? [c.label] : []));
    return messages.remember({ text: textOf(revision), buttons: labels }, message);
  };
  const click = async (by: Person, on: Shown, label: RegExp): Promise<InteractionHandle> => {
    const message = messages.of(on);
    const button = componentsOf(current(message)).find(
      (component) => component.type === 2 && label.test(component.label ?? ''),
    );
    if (!button?.custom_id) throw new Error(`no ${String(label)} button on the message`);
    return fake.clickButton(message, button.custom_id, actor(by));
  };
  const replies = (handle: InteractionHandle) => [handle.response(), ...handle.followups()];
  const mainChannel = fake.channels.get(fake.defaultChannelId)!;
  /** An `/imagine-admin` subcommand, by whoever asks. */
  const admin = async (
    by: Person,
    subcommand: string,
    options: NonNullable<CommandInput['options']>,
  ) => {
    const { memberPermissions, user } = actor(by);
    const handle = await fake.runCommand({
      name: 'imagine-admin',
      subcommand,
      options,
      user,
      memberPermissions,
      // Discord offers the command to Manage Server only, unless an admin granted it to more.
      grantedByServerSettings: (memberPermissions & Permission.ManageGuild) === 0n,
    });
    return sent(by, handle);
  };
  /** Sends the form the interaction opened, its one text input holding `prompt`. */
  const submitForm = async (by: Person, opened: InteractionHandle, prompt: string) => {
    const form = await opened.waitForModal();
    const [field] = modalFieldIds(form);
    return sent(by, await fake.submitModal(opened, { [field!]: prompt }), prompt);
  };

  const driver: ChatDriver = {
    platform: 'discord',
    api,
    async people(): Promise<People> {
      return {
        requester: person('requester', MEMBER_PERMISSIONS),
        member: person('member', MEMBER_PERMISSIONS),
        moderator: person(
          'moderator',
          MEMBER_PERMISSIONS | Permission.ManageMessages | Permission.ManageGuild,
        ),
      };
    },
    async imagine(by, prompt, options: ImagineOptions = {}) {
      const handle = await fake.runCommand({
        name: 'imagine',
        ...actor(by),
        options: {
          prompt,
          ...(options.aspectRatio ? { aspect_ratio: options.aspectRatio } : {}),
          ...(options.resolution ? { resolution: options.resolution } : {}),
          ...(options.private ? { private: true } : {}),
        },
      });
      return sent(by, handle, prompt);
    },
    async resend(action) {
      fake.redeliver(handleOf(action));
    },
    resultsShowing: (prompt) =>
      fake
        .messagesIn(fake.defaultChannelId)
        .filter(
          (message) => showsImage(current(message)) && textOf(current(message)).includes(prompt),
        ).length,
    setDailyCredits: (by, of, daily) => admin(by, 'credits', { user: actor(of).user, daily }),
    otherChannelShownAs: `<#${shareChannel.id}>`,
    changeSetting(by, change) {
      if ('block' in change) return admin(by, 'blocklist', { action: 'add', entry: change.block });
      if ('unblock' in change)
        return admin(by, 'blocklist', { action: 'remove', entry: change.unblock });
      if ('onlyChannel' in change || 'denyChannel' in change) {
        const [mode, which] =
          'onlyChannel' in change
            ? (['allow', change.onlyChannel] as const)
            : (['deny', change.denyChannel] as const);
        const channel = which === 'main' ? mainChannel : shareChannel;
        return admin(by, 'channels', { mode, channel });
      }
      if ('allChannels' in change) return admin(by, 'channels', { mode: 'all' });
      const { dailyBudget } = change;
      return admin(
        by,
        'budget',
        dailyBudget === 'default' ? { reset: 'daily' } : { daily: dailyBudget },
      );
    },
    async outcomeOf(action): Promise<Outcome> {
      const handle = handleOf(action);
      return until(() => {
        const response = handle.response();
        if (response && !response.deleted) {
          const revision = current(response);
          if (showsImage(revision)) return { kind: 'image' as const, shown: shown(response) };
          if (showsFailure(revision)) return { kind: 'failure' as const, shown: shown(response) };
        }
        for (const message of replies(handle)) {
          const text = privateText(message);
          // A private request's "Queued…"/"Generating…" card is progress, not an answer.
          if (text && !PROGRESS.test(text)) return { kind: 'refusal' as const, text };
        }
        return undefined;
      }, `the outcome of interaction ${handle.id}`);
    },
    async reroll(by, on) {
      const handle = await click(by, on, /^Reroll$/);
      return sent(by, handle);
    },
    async retry(by, on) {
      const handle = await click(by, on, /^(Try again|Reroll)$/);
      return sent(by, handle);
    },
    async share(by, on) {
      const pressed = await click(by, on, /^Share/);
      const picker = await pressed.waitForResponse(
        (revision) => componentsOf(revision).some((component) => component.type === ChannelSelect),
        'the channel picker',
      );
      const select = componentsOf(current(picker)).find((c) => c.type === ChannelSelect)!;
      const before = new Set(fake.messagesIn(shareChannel.id).map((message) => message.id));
      const picked = await fake.selectChannel(picker, select.custom_id!, shareChannel.id, {
        ...actor(by),
      });
      copiesBefore.set(picked.id, before);
      return sent(by, picked);
    },
    async sharedCopyOf(action) {
      const before = copiesBefore.get(action.interactionId) ?? new Set();
      const copy = await until(
        () => fake.messagesIn(shareChannel.id).find((message) => !before.has(message.id)),
        'the shared copy',
      );
      return shown(copy);
    },
    async remove(by, on) {
      return sent(by, await click(by, on, /^Delete$/));
    },
    async edit(by, on, prompt) {
      return submitForm(by, await click(by, on, /^Edit$/), prompt);
    },
    async editImageOn(by, files, pick, prompt) {
      const { user } = actor(by);
      const posted = fake.postUserMessage({
        user,
        files: files.map((file) => ({
          filename: file.name,
          contentType: file.contentType,
          bytes: file.bytes,
        })),
      });
      const command = await fake.runMessageCommand({ name: 'Edit image', message: posted, user });
      // Several images: the bot first asks which, privately, in a string select of the images only.
      const asked = await until(() => {
        if (command.interaction.modal) return { form: command };
        const picker = replies(command).find(
          (message) =>
            message && componentsOf(current(message)).some((c) => c.type === StringSelect),
        );
        return picker ? { picker } : undefined;
      }, 'the picker or the edit form');
      if (asked.form) return submitForm(by, asked.form, prompt);
      const select = componentsOf(current(asked.picker)).find((c) => c.type === StringSelect) as
        (Component & { options: Array<{ value: string }> }) | undefined;
      const option = select?.options[pick];
      if (!select || !option) throw new Error(`the picker offers no image ${pick}`);
      const picked = await fake.selectOptions(
        asked.picker,
        select.custom_id!,
        [option.value],
        actor(by),
      );
      return submitForm(by, picked, prompt);
    },
    async vary(by, on) {
      return sent(by, await click(by, on, /^Vary$/));
    },
    async upscale(by, on) {
      return sent(by, await click(by, on, /^Upscale$/));
    },
    async imagineFrom(by, prompt, files) {
      const names = ['image', 'image2', 'image3'];
      const handle = await fake.runCommand({
        name: 'imagine',
        ...actor(by),
        options: {
          prompt,
          ...Object.fromEntries(
            files.map((file, index) => [
              names[index]!,
              { filename: file.name, contentType: file.contentType, bytes: file.bytes },
            ]),
          ),
        },
      });
      return sent(by, handle, prompt);
    },
    seenByOthers: (on) => !isEphemeral(current(messages.of(on))),
    isShown: (on) => !messages.of(on).deleted,
    async goneFromChannel(on) {
      const message = messages.of(on);
      await until(() => message.deleted, 'the message to be deleted');
    },
    async privateReplyTo(action) {
      const handle = handleOf(action);
      return until(
        () => replies(handle).map(privateText).find(Boolean),
        `a private reply to interaction ${handle.id}`,
      );
    },
    async ask(by, what) {
      const handle = await fake.runCommand({ name: what, ...actor(by) });
      return driver.privateReplyTo(sent(by, handle));
    },
    privateTextsOf(by) {
      return [...handles.values()]
        .filter((handle) => handle.interaction.user.id === by.id)
        .flatMap((handle) => replies(handle).map(privateText))
        .filter((text): text is string => text !== undefined);
    },
    operatorLog: () => bed.rawLogs.join(''),
    leakedSecrets: () => bed.leakedSecrets(),
    close: () => bed.close(),
  };
  return driver;
}

export const discord: DriverSpec = {
  platform: 'discord',
  capabilities: {
    typedOptions: false,
    overlongPrompt: false,
    help: true,
    admin: true,
    editing: true,
    ownImages: true,
    editImage: true,
    operatorControls: true,
  },
  missing: {
    typedOptions: "Discord's client offers only the registered choices",
    overlongPrompt: "Discord's client caps the prompt option's length below the bot's limit",
  },
  start: startDiscordDriver,
};
