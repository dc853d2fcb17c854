export { Conversation, type ConversationOptions } from './conversation.js';
export type { ConversationService, PlatformProfile } from './context.js';
export type {
  Actor,
  Intent,
  IntentKind,
  IntentOf,
  Interaction,
  PersonRef,
  Place,
} from './interaction.js';
export type { Answer, PendingGeneration, StatusPlacement } from './answer.js';
export type * from './views.js';
export { attachedFileOf } from './views.js';
export { conversationMessages, refusal, type ConversationCode } from './messages.js';
export { describeError, type PlatformWording } from './wording.js';
export { HISTORY_SIZE } from './handlers/account.js';
export { COMMANDS, RESULT_ACTION_HELP, helpCommands, resultActionHelp } from './handlers/help.js';
export { EDITING_COST, editingCost } from './handlers/pricing.js';
export { localeOf } from './locale.js';
export { PacedDelivery, type PacedDeliveryOptions } from './delivery.js';
