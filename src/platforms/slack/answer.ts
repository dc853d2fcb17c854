import {
  refusal,
  type Answer,
  type ConversationView,
  type PendingGeneration,
  type StatusPlacement,
} from '../../conversation/index.js';
import type { EditForm } from '../../conversation/answer.js';
import { attachedFileOf, type AttachedFile } from '../../conversation/views.js';
import type { SourceInput } from '../../conversation/interaction.js';
import type { JobRecord } from '../../core/types.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { SlackContext } from './context.js';
import { openGenerateModal } from './interactions/generate-modal.js';
import type { SlackEvent } from './interaction.js';
import { shareNotInChannel } from './messages.js';
import { editModal, pickSourceModal, type EditPlace } from './render/edit-modal.js';
import { sharedMessage } from './render/job.js';
import { shareModal } from './render/share-modal.js';
import { fileCaption } from './render/usage.js';
import { privateMessage } from './render/views.js';
import { tellPrivately, type Audience } from './reply.js';
import { slackErrorCode } from './slack-errors.js';
import { placeSlackStatus } from './status.js';

/** How one Slack interaction is answered: ephemerally, in the channel, in a modal, or in the DM. */
export class SlackAnswer implements Answer {
  constructor(
    private readonly context: SlackContext,
    private readonly event: SlackEvent,
  ) {}

  /** The person's language (resolved before the conversation saw the event). */
  private get locale(): Locale {
    return this.event.locale ?? this.context.locales.fallback;
  }

  /** A modal; from the image picker it replaces the picker, else it opens on this interaction's trigger. */
  async openEditForm(form: EditForm): Promise<void> {
    const view = editModal(form, this.editPlace(), this.locale);
    const { web } = this.context.slack;
    if (this.event.viewId) await web.views.update({ view_id: this.event.viewId, view });
    else await web.views.open({ trigger_id: this.event.id, view });
  }

  async pickSource(draft: string, images: SourceInput[]): Promise<void> {
    await this.context.slack.web.views.open({
      trigger_id: this.event.id,
      view: pickSourceModal(draft, images, this.editPlace(), this.locale),
    });
  }

  async privately(view: ConversationView): Promise<void> {
    const { slack, logger } = this.context;
    if (view.kind === 'share-picker') {
      const value = this.event.actedOn?.value;
      // The copy is made from the Slack file the result was uploaded as.
      if (!value?.fileId) throw refusal('generation_not_found');
      await slack.web.views.open({
        trigger_id: this.event.id,
        view: shareModal(value, this.locale),
      });
      return;
    }
    // Ephemeral messages cannot carry files: the chart or export goes to the DM, the answer says so.
    const file = attachedFileOf(view);
    if (file) await this.sendToDm(file);
    // A share is confirmed where the copy went, under it; anything else where the person acted.
    const channelId = view.kind === 'shared' ? view.to : this.event.channelId;
    await tellPrivately(slack, logger, this.audience(channelId), privateMessage(view, this.locale));
  }

  placeStatus(generation: PendingGeneration): Promise<StatusPlacement> {
    return placeSlackStatus(this.context, this.event, generation);
  }

  /** A copy of the uploaded file (not a link), so it stays whatever happens to the original. */
  async postShared(job: JobRecord, to: string): Promise<void> {
    const { slack } = this.context;
    const fileId = this.event.actedOn?.value.fileId;
    if (!fileId) throw refusal('generation_not_found');
    const image = await slack.downloadFile(fileId);
    const sharedBy = this.event.userId;
    try {
      await slack.postJoining(to, () =>
        slack.uploadImage(to, image, (copyId) => sharedMessage(job, sharedBy, copyId, this.locale)),
      );
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'not_in_channel' || code === 'channel_not_found')
        throw await shareNotInChannel(slack);
      throw error;
    }
  }

  /** The message the button was on, and the file it showed; an ephemeral note cannot be removed. */
  async removeActedOn(): Promise<void> {
    const acted = this.event.actedOn;
    if (!acted) return;
    const { slack } = this.context;
    if (acted.channelId && acted.ts && !acted.ephemeral)
      await slack.deleteMessage(acted.channelId, acted.ts);
    if (acted.value.fileId) await slack.deleteFile(acted.value.fileId);
  }

  openGenerateForm(): Promise<void> {
    return openGenerateModal(this.context, this.event.id, this.event.channelId, this.locale);
  }

  /** A file into the person's DM with the bot (files v2 upload), with a line saying what it is. */
  private async sendToDm(file: AttachedFile): Promise<void> {
    const { slack } = this.context;
    const dm = await slack.openDm(this.event.userId);
    const upload = { bytes: file.data, fileName: file.name, title: file.name };
    const caption = fileCaption(file.name, this.event.receivedAt, this.locale);
    const image = file.contentType.startsWith('image/');
    await slack.uploadFile(
      dm,
      upload,
      caption,
      image ? translate(this.locale, 'slack.usage.chartAlt') : undefined,
    );
  }

  /** Where an edit started here puts its result: this channel, and this thread in it. */
  private editPlace(): EditPlace {
    const { resultChannelId, threadTs } = this.event;
    return {
      ...(resultChannelId ? { channelId: resultChannelId } : {}),
      ...(resultChannelId && threadTs ? { threadTs } : {}),
    };
  }

  private audience(channelId: string | undefined): Audience {
    const { userId, responseUrl, receivedAt, threadTs } = this.event;
    return {
      userId,
      ...(channelId ? { channelId } : {}),
      // An answer where they acted shows in the thread they acted in.
      ...(channelId && channelId === this.event.channelId && threadTs ? { threadTs } : {}),
      ...(responseUrl ? { responseUrl, responseUrlIssuedAt: receivedAt } : {}),
    };
  }
}
