import { exportAuditCsv, readUsage } from '../../audit/index.js';
import { describeReset } from '../../core/quota.js';
import type { ConversationContext } from '../context.js';
import { workspaceKey } from '../controls.js';
import type { Interaction, IntentOf } from '../interaction.js';
import { refusal } from '../messages.js';
import { settingsView, withChange } from './settings.js';
import { localeOf } from '../locale.js';
import { describeError } from '../wording.js';

/** Admin commands act on a server's or workspace's members, by its admins only. */
export async function requireAdmin(interaction: Interaction): Promise<string> {
  const workspace = workspaceKey(interaction.place);
  if (!workspace) throw refusal('server_only');
  if (!(await interaction.actor.mayAdminister())) throw refusal('admin_only');
  return workspace;
}

/** The syntax an admin would otherwise get as a refusal, given as the answer it was asked for. */
export async function adminHelp(
  interaction: Interaction<IntentOf<'admin-help'>>,
  context: ConversationContext,
): Promise<void> {
  await requireAdmin(interaction);
  const { code, text } = describeError(
    refusal('admin_usage'),
    context.profile.wording,
    undefined,
    localeOf(interaction, context),
  );
  await interaction.answer.privately({ kind: 'notice', tone: 'info', code, text });
}

export async function setCredits(
  interaction: Interaction<IntentOf<'set-credits'>>,
  context: ConversationContext,
): Promise<void> {
  await requireAdmin(interaction);
  const { person, daily } = interaction.intent;
  await context.service.setDailyCredits(person.key, daily);
  const status = await context.service.status(person.key);
  context.logger.info(
    { admin: interaction.actor.key, user: person.key, daily },
    'daily credits changed',
  );
  await interaction.answer.privately({
    kind: 'credits-set',
    person,
    daily,
    remainingToday: status.remaining,
  });
}

export async function usage(
  interaction: Interaction<IntentOf<'usage'>>,
  context: ConversationContext,
): Promise<void> {
  const workspace = await requireAdmin(interaction);
  const { person } = interaction.intent;
  if (!person) {
    const { report, chart, chartCaption } = await readUsage(
      context.controls.audit,
      workspace,
      context.now(),
      localeOf(interaction, context),
    );
    await interaction.answer.privately({
      kind: 'usage',
      report,
      chart: { name: 'usage.png', contentType: 'image/png', data: chart },
      ...(chartCaption ? { chartCaption } : {}),
      generatingNow: context.service.activeCount,
    });
    return;
  }
  const status = await context.service.status(person.key);
  await interaction.answer.privately({
    kind: 'usage',
    person,
    used: status.used,
    dailyCredits: status.dailyCredits,
    remaining: status.remaining,
    inFlight: status.activeJobs.length,
    resetsIn: describeReset(status.resetsAt, context.now(), localeOf(interaction, context)),
  });
}

export async function settings(
  interaction: Interaction<IntentOf<'settings'>>,
  context: ConversationContext,
): Promise<void> {
  const workspace = await requireAdmin(interaction);
  const { change } = interaction.intent;
  const current = change
    ? await context.controls.settings.update(workspace, (settings) => withChange(settings, change))
    : await context.controls.settings.get(workspace);
  if (change)
    context.logger.info(
      { admin: interaction.actor.key, workspace, change: Object.keys(change)[0] },
      'server settings changed',
    );
  await interaction.answer.privately(
    await settingsView(
      workspace,
      current,
      context,
      change ? { changed: change } : {},
      localeOf(interaction, context),
    ),
  );
}

export async function exportAudit(
  interaction: Interaction<IntentOf<'export'>>,
  context: ConversationContext,
): Promise<void> {
  const workspace = await requireAdmin(interaction);
  const csv = await exportAuditCsv(context.controls.audit, workspace, context.now());
  const day = new Date(context.now()).toISOString().slice(0, 10);
  await interaction.answer.privately({
    kind: 'export',
    file: {
      name: `image-audit-${day}.csv`,
      contentType: 'text/csv',
      data: Buffer.from(csv, 'utf8'),
    },
    // Header and trailing line end aside, one line per record (fields may hold quoted line breaks).
    records: csv === '' ? 0 : countRecords(csv),
  });
}

/** Records in an RFC 4180 file: line ends outside quotes, less the header's. */
function countRecords(csv: string): number {
  let quoted = false;
  let lines = 0;
  for (let index = 0; index < csv.length; index++) {
    const char = csv[index];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) lines++;
  }
  return Math.max(0, lines - 1);
}
