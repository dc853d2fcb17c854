export {
  checkedSettings,
  defaultSettings,
  MAX_BLOCKLIST_ENTRIES,
  MAX_CREDITS,
  MAX_LISTED_IDS,
  MAX_REGEX_ENTRIES,
  withDefaults,
  type ChannelRule,
  type WorkspaceSettings,
} from './workspace-settings.js';
export { WorkspaceSettingsService } from './settings-service.js';
export { allowanceFor, placeRefusal, roleRefusal } from './place-rules.js';
export {
  blockedBy,
  MAX_MATCH_WAYS,
  MAX_RULE_LENGTH,
  normaliseForMatching,
  REGEX_PREFIX,
  ruleProblem,
  ruleProblemOf,
  type RuleProblem,
  type BlockedBy,
  type RuleSource,
} from './prompt-rules.js';
export { readBlocklistFile, type BlocklistFileResult } from './blocklist-file.js';
export { generationRefusal, type GenerationAsk, type RulesRefusal } from './generation-rules.js';
