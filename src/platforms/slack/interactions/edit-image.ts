import type { App, BlockAction, ButtonAction, MessageShortcut } from '@slack/bolt';
import type { SourceInput } from '../../../conversation/interaction.js';
import { messageIn } from '../../../core/errors.js';
import type { SlackContext } from '../context.js';
import { failSlack, handleSlack, submitterOf, type SlackEvent } from '../interaction.js';
import { readEditMetadata } from '../render/edit-modal.js';
import { ACTION, FIELD, SHORTCUT_EDIT_IMAGE, VIEW } from '../render/ids.js';

/** A file as Slack describes it in a payload (a message's files, a file input's value). */
export interface SlackFile {
  id?: string;
  name?: string | null;
  title?: string | null;
  mimetype?: string | null;
  size?: number | null;
  url_private?: string | null;
}

/** Slack files as sources: private, read with the bot token when the conversation prepares them. */
export function sourcesOfFiles(files: readonly SlackFile[] | undefined): SourceInput[] {
  return (files ?? []).flatMap((file) => {
    if (!file.url_private) return [];
    return [
      {
        url: file.url_private,
        name: file.name ?? file.title ?? file.id ?? 'image',
        ...(file.mimetype ? { contentType: file.mimetype } : {}),
        ...(typeof file.size === 'number' ? { size: file.size } : {}),
        private: true,
      },
    ];
  });
}

/**
 * The edit keeps to the channel it started in, and to the thread there if it started in one; a
 * private one (no channel) goes to the DM.
 */
function inChannel(channelId: string | undefined, threadTs?: string): Partial<SlackEvent> {
  if (!channelId) return {};
  return { channelId, resultChannelId: channelId, ...(threadTs ? { threadTs } : {}) };
}

/**
 * "Edit image" on a message (its files become a draft: one opens the edit modal, several the
 * picker), the picker's buttons, and the edit modal's submission, keyed by the submission's id.
 */
export function registerEditImage(app: App, context: SlackContext): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT_EDIT_IMAGE, type: 'message_action' },
    async ({ ack, body }) => {
      await ack();
      const message = body.message as { files?: SlackFile[]; thread_ts?: string };
      const event: SlackEvent = {
        id: body.trigger_id,
        teamId: body.team?.id ?? body.user.team_id ?? '',
        userId: body.user.id,
        userName: body.user.name,
        // On a message in a thread (a reply, or a message with replies): answered in that thread.
        ...inChannel(body.channel.id, message.thread_ts),
        ...(body.response_url ? { responseUrl: body.response_url } : {}),
        receivedAt: Date.now(),
      };
      await handleSlack(context, event, {
        kind: 'edit-image',
        files: sourcesOfFiles(message.files),
      });
    },
  );

  app.action<BlockAction<ButtonAction>>(ACTION.pickSource, async ({ ack, body, action }) => {
    await ack();
    const metadata = readEditMetadata(body.view?.private_metadata);
    const event: SlackEvent = {
      id: body.trigger_id,
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      userName: body.user.name,
      ...inChannel(metadata?.c, metadata?.t),
      ...(body.view ? { viewId: body.view.id } : {}),
      receivedAt: Date.now(),
    };
    const choice = Number(action.value);
    if (!metadata?.d || !Number.isInteger(choice) || choice < 0)
      return failSlack(context, event, 'image picker button');
    await handleSlack(context, event, { kind: 'edit-draft', draft: metadata.d, choice });
  });

  app.view(VIEW.edit, async ({ ack, body, view }) => {
    const values = view.state.values as Record<string, Record<string, { value?: string | null }>>;
    const prompt = values[FIELD.prompt]?.[FIELD.value]?.value ?? '';
    // A mistake in the prompt is shown under it, inside the 3 s window.
    const problem = context.conversation.inputProblem({ prompt });
    if (problem) {
      const text = messageIn(problem, await context.locales.of(body.user.id));
      await ack({ response_action: 'errors', errors: { [FIELD.prompt]: text } });
      return;
    }
    await ack();
    const metadata = readEditMetadata(view.private_metadata);
    const event: SlackEvent = {
      ...submitterOf(body, view),
      ...inChannel(metadata?.c, metadata?.t),
    };
    if (metadata?.r) return handleSlack(context, event, { kind: 'edit', of: metadata.r, prompt });
    if (metadata?.d)
      return handleSlack(context, event, { kind: 'edit-draft', draft: metadata.d, prompt });
    return failSlack(context, event, 'edit modal submission');
  });
}
