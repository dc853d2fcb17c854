import type { UserError } from '../../core/errors.js';
import type { Place } from '../interaction.js';
import { refusal } from '../messages.js';
import { placeRefusal, roleRefusal } from './place-rules.js';
import { blockedBy, type BlockedBy } from './prompt-rules.js';
import type { WorkspaceSettings } from './workspace-settings.js';

/** What a generation asks, as far as the server's rules care. */
export interface GenerationAsk {
  place: Pick<Place, 'channelId' | 'parentChannelId' | 'direct'>;
  /** The member's roles; undefined on a platform without roles. */
  roleIds?: readonly string[];
  prompt: string;
}

/** A refusal by the server's rules; `blockedBy` (for the audit and admins only) when a prompt rule did it. */
export interface RulesRefusal {
  error: UserError;
  blockedBy?: BlockedBy;
}

/**
 * Every rule of the server in the order a person would fix them: where, then who, then what. Runs
 * before the preflight, so a refused generation creates no task and holds no credits.
 */
export function generationRefusal(
  settings: WorkspaceSettings,
  ask: GenerationAsk,
  fileBlocklist: readonly string[] = [],
): RulesRefusal | undefined {
  const error = placeRefusal(settings, ask.place) ?? roleRefusal(settings, ask.roleIds);
  if (error) return { error };
  const rule = blockedBy(ask.prompt, settings.blocklist, fileBlocklist);
  return rule ? { error: refusal('prompt_blocked'), blockedBy: rule } : undefined;
}
