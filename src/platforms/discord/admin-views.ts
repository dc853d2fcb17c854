import type { APIEmbed, RawFile } from 'discord.js';
import type {
  ConversationView,
  ExportView,
  ServerPoolView,
  SettingsView,
  UsageReportView,
} from '../../conversation/index.js';
import type { PeriodUsage, UsageRow } from '../../audit/index.js';
import type { SettingsChange } from '../../conversation/interaction.js';
import { attachedFileOf } from '../../conversation/index.js';
import { NO_PINGS, type MessageBody } from './render.js';
import { userIdOf } from './target.js';
import { fit, fitEcho } from './text.js';

const BLURPLE = 0x5865f2;
/** Room for a list inside an embed, leaving the rest of the embed within its 6,000 characters. */
const LIST_ROOM = 900;
const BLOCKLIST_ROOM = 2_000;
const TOP_ROWS = 5;

function body(content: string, embeds: APIEmbed[], files: string[] = []): MessageBody {
  return {
    content: fit(content, 2_000),
    embeds,
    components: [],
    allowed_mentions: NO_PINGS,
    // Naming the uploads replaces whatever the deferred answer had.
    attachments: files.map((filename, id) => ({ id, filename })),
  };
}

/** As many items as fit in `room`, joined, then how many were left out. */
function fitList(items: readonly string[], separator: string, room: number): string {
  let text = '';
  for (const [index, item] of items.entries()) {
    const next = text === '' ? item : `${text}${separator}${item}`;
    const rest = items.length - index - 1;
    const tail = rest > 0 ? `${separator}… and ${rest} more` : '';
    if (next.length + tail.length > room)
      return `${text === '' ? '' : `${text}${separator}`}… and ${items.length - index} more`;
    text = next;
  }
  return text;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

const channelMentions = (ids: readonly string[]): string =>
  fitList(
    ids.map((id) => `<#${id}>`),
    ', ',
    LIST_ROOM,
  );

/** Inline code cannot escape a backtick, so it is swapped for a look-alike. */
const code = (entry: string): string => `\`${fit(entry.replace(/`/g, 'ˋ'), 200)}\``;

function budgetLine(
  period: 'daily' | 'monthly',
  view: SettingsView,
  pool: ServerPoolView | undefined,
): string {
  const limit = view.budget[period];
  if (limit === undefined) return 'No cap';
  const source = view.budgetSource[period] === 'operator' ? ' (operator default)' : '';
  const use = pool ? `\n${pool.used} used, ${pool.remaining} left · resets ${pool.resetsIn}` : '';
  return `${plural(limit, 'credit')}${source}${use}`;
}

function whereLine({ channels }: SettingsView['settings']): string {
  if (channels.mode === 'all') return 'Every channel';
  if (channels.mode === 'deny')
    return channels.ids.length === 0
      ? 'Every channel'
      : `Every channel except ${channelMentions(channels.ids)}`;
  return channels.ids.length === 0
    ? 'No channel: generation is off until you allow one'
    : `Only in ${channelMentions(channels.ids)}`;
}

function whoLine({ roles }: SettingsView['settings']): string {
  if (roles.length === 0) return 'Everyone';
  return `Members with ${fitList(
    roles.map((id) => `<@&${id}>`),
    ', ',
    LIST_ROOM,
  )}`;
}

function allowanceLines({ roleAllowances }: SettingsView['settings']): string {
  const lines = Object.entries(roleAllowances)
    .sort(([, a], [, b]) => b - a)
    .map(([role, daily]) => `<@&${role}>: ${plural(daily, 'credit')} a day`);
  return lines.length === 0
    ? 'None: members get their own daily credits'
    : fitList(lines, '\n', LIST_ROOM);
}

const entries = (count: number): string => `${count} ${count === 1 ? 'entry' : 'entries'}`;

function blocklistText(view: SettingsView): string {
  const { blocklist } = view.settings;
  const shared =
    view.sharedBlocklistSize > 0
      ? `The operator's shared list adds ${entries(view.sharedBlocklistSize)} for every server.`
      : '';
  if (blocklist.length === 0) return `**Blocklist**: empty. ${shared}`.trim();
  const list = fitList(blocklist.map(code), ' · ', BLOCKLIST_ROOM);
  return [`**Blocklist** (${entries(blocklist.length)}):`, list, shared].filter(Boolean).join('\n');
}

/** What each kind of change is called in "Saved …" (keys of SettingsChange). */
const CHANGED: Record<string, string> = {
  budget: 'the budget',
  channels: 'where /imagine works',
  dms: 'direct messages',
  roles: 'who may generate',
  roleAllowance: "the role's daily credits",
  blocklist: 'the blocklist',
  auditChannel: 'the audit channel',
};

/** "Saved …" naming what just changed, so the admin sees their change took. */
function savedLine(change: SettingsChange | undefined): string {
  if (!change) return '';
  const what = CHANGED[Object.keys(change)[0] ?? ''] ?? 'the settings';
  return `Saved ${what}. This is how the server stands now:`;
}

function settingsBody(view: SettingsView): MessageBody {
  const pool = (period: ServerPoolView['period']) => view.pools.find((p) => p.period === period);
  const { settings } = view;
  return body(savedLine(view.changed), [
    {
      title: 'Image settings for this server',
      color: BLURPLE,
      description: blocklistText(view),
      fields: [
        { name: 'Daily budget', value: budgetLine('daily', view, pool('day')), inline: true },
        { name: 'Monthly budget', value: budgetLine('monthly', view, pool('month')), inline: true },
        { name: 'Where /imagine works', value: whereLine(settings) },
        { name: 'Who may generate', value: whoLine(settings) },
        { name: 'Role allowances', value: allowanceLines(settings) },
        {
          name: 'Audit channel',
          value: settings.auditChannel ? `<#${settings.auditChannel}>` : 'Off',
        },
      ],
    },
  ]);
}

function percent(rate: number | null): string {
  return rate === null ? 'none finished' : `${Math.round(rate * 1000) / 10}% failed`;
}

function periodLine(period: PeriodUsage): string {
  return [
    plural(period.credits, 'credit'),
    plural(period.generations, 'generation'),
    percent(period.failureRate),
    `${period.refused} refused`,
  ].join('\n');
}

/** A user by mention (shows their name, never pings) when the key is Discord's, else by name. */
function userLabel(row: UsageRow): string {
  const id = userIdOf(row.key);
  return id ? `<@${id}>` : fitEcho(row.name, 80);
}

const channelLabel = (row: UsageRow): string =>
  row.key === '' ? 'Direct messages' : `<#${row.key}>`;

function topRows(rows: readonly UsageRow[], label: (row: UsageRow) => string): string {
  if (rows.length === 0) return 'Nobody yet';
  return rows
    .slice(0, TOP_ROWS)
    .map(
      (row, index) =>
        `${index + 1}. ${label(row)}: ${plural(row.credits, 'credit')}, ${plural(row.generations, 'generation')}${row.failed > 0 ? ` (${row.failed} failed)` : ''}`,
    )
    .join('\n');
}

function usageBody(view: UsageReportView): MessageBody {
  const { report, chart } = view;
  return body(
    '',
    [
      {
        title: 'Image usage in this server',
        color: BLURPLE,
        description: `Credits spent are those of finished images (failed ones are refunded). Generating now: ${view.generatingNow}.`,
        fields: [
          { name: 'Today (UTC)', value: periodLine(report.today), inline: true },
          { name: 'This month', value: periodLine(report.month), inline: true },
          { name: 'Last 30 days', value: periodLine(report.last30Days), inline: true },
          { name: 'Top members (30 days)', value: topRows(report.last30Days.byUser, userLabel) },
          {
            name: 'Top channels (30 days)',
            value: topRows(report.last30Days.byChannel, channelLabel),
          },
        ],
        image: { url: `attachment://${chart.name}` },
      },
    ],
    [chart.name],
  );
}

function exportBody(view: ExportView): MessageBody {
  return body(
    `This server's audit trail: ${plural(view.records, 'record')}, in the attached ${view.file.name}. It opens in any spreadsheet.`,
    [],
    [view.file.name],
  );
}

/** The admin views as Discord messages; undefined for any other view. */
export function renderAdminView(view: ConversationView): MessageBody | undefined {
  if (view.kind === 'settings') return settingsBody(view);
  if (view.kind === 'export') return exportBody(view);
  if (view.kind === 'usage' && !view.person) return usageBody(view);
  return undefined;
}

/** The files an answer carries (the usage chart, the CSV), in the order `attachments` names them. */
export function viewFiles(view: ConversationView): RawFile[] {
  const file = attachedFileOf(view);
  return file ? [{ name: file.name, data: file.data, contentType: file.contentType }] : [];
}
