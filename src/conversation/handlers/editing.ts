import { isUserError } from '../../core/errors.js';
import { RESOLUTIONS, type Resolution } from '../../core/options.js';
import type { Derivation, JobRecord } from '../../core/types.js';
import type { ConversationContext, EditDraft } from '../context.js';
import type { Interaction, IntentOf, SourceInput } from '../interaction.js';
import { refusal } from '../messages.js';
import { startGeneration } from './generate.js';
import { jobFor } from './results.js';

/** How long a message's images wait for the person to pick one and say what to change. */
export const DRAFT_TTL_MS = 15 * 60_000;

/** What Upscale asks of the image-to-image model: the same picture, larger. */
export function upscalePrompt(resolution: Resolution): string {
  return `Upscale this image to ${resolution}. Keep its content, composition, colours and style exactly as they are.`;
}

/** The size an upscale renders at, or undefined at the largest. */
export function nextResolution(resolution: Resolution): Resolution | undefined {
  return RESOLUTIONS[RESOLUTIONS.indexOf(resolution) + 1];
}

/** Edit: without a prompt, the form asking what to change (with its cost); with one, the edit. */
export async function edit(
  interaction: Interaction<IntentOf<'edit'>>,
  context: ConversationContext,
): Promise<void> {
  const { job, url } = await finishedResult(interaction.intent.of, context);
  const { prompt } = interaction.intent;
  if (prompt === undefined) {
    const cost = context.service.costOf(job.options.resolution);
    await interaction.answer.openEditForm({ kind: 'result', of: job.requestId, job, cost });
    return;
  }
  await derive(interaction, context, { job, url, kind: 'edit', prompt });
}

/** Vary: the result again, differently, from its own prompt. */
export async function vary(
  interaction: Interaction<IntentOf<'vary'>>,
  context: ConversationContext,
): Promise<void> {
  const { job, url } = await finishedResult(interaction.intent.of, context);
  await derive(interaction, context, { job, url, kind: 'vary', prompt: subjectOf(job) });
}

/** Upscale: the result re-rendered at the next resolution, charged at that resolution. */
export async function upscale(
  interaction: Interaction<IntentOf<'upscale'>>,
  context: ConversationContext,
): Promise<void> {
  const { job, url } = await finishedResult(interaction.intent.of, context);
  const resolution = nextResolution(job.options.resolution);
  if (!resolution) throw refusal('already_largest');
  await derive(interaction, context, {
    job,
    url,
    kind: 'upscale',
    prompt: upscalePrompt(resolution),
    resolution,
  });
}

/**
 * "Edit image" on a message: its images are kept as a draft keyed by this interaction; one opens
 * the form at once, several ask which first.
 */
export async function editImage(
  interaction: Interaction<IntentOf<'edit-image'>>,
  context: ConversationContext,
): Promise<void> {
  const images = interaction.intent.files.filter(looksLikeImage);
  const [first] = images;
  if (!first) throw refusal('no_image_on_message');
  const draft: EditDraft = {
    actorKey: interaction.actor.key,
    images,
    ...(interaction.private ? { private: true } : {}),
  };
  await context.editing.drafts.set(interaction.id, draft, DRAFT_TTL_MS);
  if (images.length === 1) await openDraftForm(interaction, context, interaction.id, first);
  else await interaction.answer.pickSource(interaction.id, images);
}

/** A step of an edit started on a message: the image picked, then the form sent. */
export async function editDraft(
  interaction: Interaction<IntentOf<'edit-draft'>>,
  context: ConversationContext,
): Promise<void> {
  const { draft: id, choice, prompt } = interaction.intent;
  const draft = await context.editing.drafts.get(id);
  if (!draft) throw refusal('edit_draft_expired');
  if (draft.actorKey !== interaction.actor.key) throw refusal('not_your_edit');
  const index = choice ?? draft.choice ?? 0;
  const image = draft.images[index];
  if (!image) throw new Error(`edit draft ${id} has no image ${index}`);
  if (prompt === undefined) {
    if (choice !== undefined)
      await context.editing.drafts.set(id, { ...draft, choice }, DRAFT_TTL_MS);
    await openDraftForm(interaction, context, id, image);
    return;
  }
  const input = { prompt, ...(draft.private ? { private: true } : {}) };
  await startGeneration(interaction, input, context, { offered: [image] });
}

/** Only finished results can be started from; their first image is the source. */
async function finishedResult(
  requestId: string,
  context: ConversationContext,
): Promise<{ job: JobRecord; url: string }> {
  const job = await jobFor(requestId, context);
  const url = job.outcome?.kind === 'success' ? job.outcome.imageUrls[0] : undefined;
  // Its outcome, not its state: the buttons appear while the result is still being delivered.
  if (!url) throw refusal('nothing_to_edit');
  return { job, url };
}

/**
 * What a result depicts, in its person's words: its prompt, or for an upscale the prompt of what
 * it enlarged (its own prompt is only the instruction to enlarge), so a variation of an upscale
 * varies the picture and reads "Variation of “a red fox”".
 */
function subjectOf(job: JobRecord): string {
  return job.derivedFrom?.kind === 'upscale' ? job.derivedFrom.parentPrompt : job.prompt;
}

interface DerivedGeneration {
  job: JobRecord;
  url: string;
  kind: Derivation['kind'];
  prompt: string;
  resolution?: Resolution;
}

/**
 * A new generation from a result: its options (private if it was), the result's image as the one
 * source, keyed by this click's or submission's own id.
 */
async function derive(
  interaction: Interaction,
  context: ConversationContext,
  { job, url, kind, prompt, resolution }: DerivedGeneration,
): Promise<void> {
  const input = { ...job.options, prompt, ...(resolution ? { resolution } : {}) };
  try {
    await startGeneration(interaction, input, context, {
      offered: [{ url }],
      derivedFrom: { kind, parentId: job.requestId, parentPrompt: subjectOf(job) },
    });
  } catch (error) {
    // The result's own link has expired: say so, rather than ask them to check a link they never gave.
    if (isUserError(error) && error.code === 'source_unreachable')
      throw refusal('result_image_gone');
    throw error;
  }
}

function openDraftForm(
  interaction: Interaction,
  context: ConversationContext,
  draft: string,
  image: SourceInput,
): Promise<void> {
  // A generation from a message's image takes the default options: the smallest size.
  const cost = context.service.costOf(RESOLUTIONS[0]);
  return interaction.answer.openEditForm({ kind: 'draft', draft, image, cost });
}

const IMAGE_NAME = /\.(png|jpe?g|webp|gif|bmp|heic|avif)$/i;

/**
 * Images among a message's files: by the type the platform declares, else by the name. Formats
 * the API does not take still count, so the person is told which ones it does.
 */
function looksLikeImage(file: SourceInput): boolean {
  if (file.contentType) return file.contentType.toLowerCase().startsWith('image/');
  const path = file.name ?? safePath(file.url);
  return IMAGE_NAME.test(path);
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
