import type { AuditEvent } from '../audit/index.js';
import { serverPoolCharges } from '../core/budget-pools.js';
import type { UserError } from '../core/errors.js';
import type { GenerationOptions } from '../core/options.js';
import type { ImageSource, JobPlace, PoolCharge } from '../core/types.js';
import type { ConversationContext } from './context.js';
import { supportedLocaleOf } from '../i18n/index.js';
import type { Interaction, Place } from './interaction.js';
import { refusal } from './messages.js';
import {
  allowanceFor,
  defaultSettings,
  generationRefusal,
  type WorkspaceSettings,
} from './settings/index.js';

/**
 * A server's or workspace's key for its settings, pools and audit trail, unique across platforms
 * (`discord:G1`, `slack:T1`); undefined outside any (a Discord DM), where no server rule applies.
 */
export function workspaceKey(place: Pick<Place, 'platform' | 'workspaceId'>): string | undefined {
  return place.workspaceId === undefined ? undefined : `${place.platform}:${place.workspaceId}`;
}

/** What the server's settings make of a generation asked here: pools, allowance, the place. */
export interface RulesHere {
  /** Undefined outside any server. */
  settings?: WorkspaceSettings;
  pools: PoolCharge[];
  /** The member's daily credits from their roles; undefined: the operator's default. */
  roleAllowance?: number;
  place: JobPlace;
}

export async function rulesHere(
  interaction: Pick<Interaction, 'place' | 'actor'>,
  context: Pick<ConversationContext, 'controls'>,
): Promise<RulesHere> {
  const workspace = workspaceKey(interaction.place);
  const place: JobPlace = {
    ...(workspace ? { workspaceId: workspace } : {}),
    ...(interaction.place.channelId ? { channelId: interaction.place.channelId } : {}),
  };
  if (!workspace) return { pools: [], place };
  const settings = await context.controls.settings.get(workspace);
  const roleAllowance = allowanceFor(settings, interaction.actor.roleIds);
  return {
    settings,
    pools: serverPoolCharges(
      workspace,
      { daily: settings.dailyCredits, monthly: settings.monthlyCredits },
      context.controls.defaultBudget,
    ),
    ...(roleAllowance === undefined ? {} : { roleAllowance }),
    place,
  };
}

/**
 * The refusal the server's rules give this generation (where, who, what), or undefined. A blocked
 * prompt's rule is logged and audited for admins; the person is only told a rule blocked it.
 */
export function rulesRefusal(
  interaction: Pick<Interaction, 'place' | 'actor'>,
  here: RulesHere,
  prompt: string,
  context: Pick<ConversationContext, 'controls'>,
): { error: UserError; rule?: string } | undefined {
  // Outside any server only the operator's shared blocklist applies (no server settings exist).
  const refused = generationRefusal(
    here.settings ?? defaultSettings(),
    {
      place: interaction.place,
      ...(interaction.actor.roleIds ? { roleIds: interaction.actor.roleIds } : {}),
      prompt,
    },
    context.controls.sharedBlocklist,
  );
  if (!refused) return undefined;
  return {
    // Outside a server, "a rule of this server" would point at nobody.
    error: here.settings ? refused.error : refusal('prompt_blocked_by_bot'),
    ...(refused.blockedBy
      ? { rule: `${refused.blockedBy.source}: ${refused.blockedBy.rule}` }
      : {}),
  };
}

/** What the audit records of a generation, whatever became of it. */
export interface AuditedGeneration {
  requestId: string;
  prompt: string;
  options: GenerationOptions;
  cost: number;
  sources?: readonly Pick<ImageSource, 'name'>[];
}

/**
 * Records an accepted or refused generation without making the person wait for it: a store
 * outage must not turn into a refusal, so a failed write is logged and the answer goes on.
 */
export function audit(
  interaction: Pick<Interaction, 'actor' | 'placeLocale'>,
  here: Pick<RulesHere, 'place'>,
  generation: AuditedGeneration,
  outcome: { kind: 'accepted' } | { kind: 'refused'; reason: string; rule?: string },
  context: Pick<ConversationContext, 'controls' | 'logger' | 'now'>,
): void {
  const placeLocale = supportedLocaleOf(interaction.placeLocale);
  const event: AuditEvent = {
    at: context.now(),
    outcome: outcome.kind,
    ...here.place,
    userKey: interaction.actor.key,
    userName: interaction.actor.displayName,
    prompt: generation.prompt,
    options: generation.options,
    sources: (generation.sources ?? []).map((source) => source.name),
    cost: generation.cost,
    requestId: generation.requestId,
    ...(outcome.kind === 'refused' ? { reason: outcome.reason } : {}),
    ...(outcome.kind === 'refused' && outcome.rule ? { rule: outcome.rule } : {}),
    ...(placeLocale ? { placeLocale } : {}),
  };
  context.controls.audit.record(event).catch((error: unknown) => {
    context.logger.warn(
      { err: error, requestId: generation.requestId, outcome: outcome.kind },
      'audit record not saved (the store failed); the generation went on',
    );
  });
}
