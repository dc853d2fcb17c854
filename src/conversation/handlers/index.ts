import type { ConversationContext } from '../context.js';
import type { IntentKind, IntentOf, Interaction } from '../interaction.js';
import { adminHelp, exportAudit, setCredits, settings, usage } from './admin.js';
import { history, quota } from './account.js';
import { commandText } from './command-text.js';
import { edit, editDraft, editImage, upscale, vary } from './editing.js';
import { startGeneration } from './generate.js';
import { help } from './help.js';
import { remove, reroll, retry } from './results.js';
import { share } from './share.js';

type Handler<K extends IntentKind> = (
  interaction: Interaction<IntentOf<K>>,
  context: ConversationContext,
) => Promise<void>;

/** One handler per intent: adding a button or command to every platform starts here. */
export const handlers: { [K in IntentKind]: Handler<K> } = {
  imagine: (interaction, context) =>
    startGeneration(interaction, interaction.intent.input, context, {
      ...(interaction.intent.sources ? { offered: interaction.intent.sources } : {}),
    }),
  'command-text': commandText,
  reroll: async (interaction, context) => void (await reroll(interaction, context)),
  retry,
  share,
  delete: remove,
  edit,
  vary,
  upscale,
  'edit-image': editImage,
  'edit-draft': editDraft,
  quota,
  history,
  help,
  'set-credits': setCredits,
  usage,
  settings,
  export: exportAudit,
  'admin-help': adminHelp,
};
