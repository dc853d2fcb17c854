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
import { translate, type Locale, type MessageKey, type MessageParams } from '../../i18n/index.js';
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

type T = (key: MessageKey, params?: MessageParams) => string;

/** As many items as fit in `room`, joined, then how many were left out. */
function fitList(items: readonly string[], separator: string, room: number, t: T): string {
  const more = (count: number) => t('discord.admin.andMore', { more: String(count) });
  let text = '';
  for (const [index, item] of items.entries()) {
    const next = text === '' ? item : `${text}${separator}${item}`;
    const rest = items.length - index - 1;
    const tail = rest > 0 ? `${separator}${more(rest)}` : '';
    if (next.length + tail.length > room)
      return `${text === '' ? '' : `${text}${separator}`}${more(items.length - index)}`;
    text = next;
  }
  return text;
}

/** "1 credit", "12 generations": counts as typed (10000), their noun in the reader's language. */
function counted(
  t: T,
  key:
    | 'discord.admin.credits'
    | 'discord.admin.generations'
    | 'discord.admin.records'
    | 'discord.admin.entries',
  count: number,
): string {
  return t(key, { count, n: String(count) });
}

const channelMentions = (ids: readonly string[], t: T): string =>
  fitList(
    ids.map((id) => `<#${id}>`),
    t('list.separator'),
    LIST_ROOM,
    t,
  );

/** Inline code cannot escape a backtick, so it is swapped for a look-alike. */
const code = (entry: string): string => `\`${fit(entry.replace(/`/g, 'ˋ'), 200)}\``;

function budgetLine(
  period: 'daily' | 'monthly',
  view: SettingsView,
  pool: ServerPoolView | undefined,
  t: T,
): string {
  const limit = view.budget[period];
  if (limit === undefined) return t('discord.admin.noCap');
  const source = view.budgetSource[period] === 'operator' ? t('discord.admin.operatorDefault') : '';
  const use = pool
    ? `\n${t('discord.admin.poolUse', {
        used: String(pool.used),
        remaining: String(pool.remaining),
        resetsIn: pool.resetsIn,
      })}`
    : '';
  return `${counted(t, 'discord.admin.credits', limit)}${source}${use}`;
}

function whereLine({ channels }: SettingsView['settings'], t: T): string {
  if (channels.mode === 'all') return t('discord.admin.everyChannel');
  if (channels.mode === 'deny')
    return channels.ids.length === 0
      ? t('discord.admin.everyChannel')
      : t('discord.admin.everyChannelExcept', { channels: channelMentions(channels.ids, t) });
  return channels.ids.length === 0
    ? t('discord.admin.noChannel')
    : t('discord.admin.onlyIn', { channels: channelMentions(channels.ids, t) });
}

function whoLine({ roles }: SettingsView['settings'], t: T): string {
  if (roles.length === 0) return t('discord.admin.everyone');
  return t('discord.admin.membersWith', {
    roles: fitList(
      roles.map((id) => `<@&${id}>`),
      t('list.separator'),
      LIST_ROOM,
      t,
    ),
  });
}

function allowanceLines({ roleAllowances }: SettingsView['settings'], t: T): string {
  const lines = Object.entries(roleAllowances)
    .sort(([, a], [, b]) => b - a)
    .map(([role, daily]) =>
      t('discord.admin.allowance', {
        role: `<@&${role}>`,
        credits: counted(t, 'discord.admin.credits', daily),
      }),
    );
  return lines.length === 0 ? t('discord.admin.noAllowances') : fitList(lines, '\n', LIST_ROOM, t);
}

function blocklistText(view: SettingsView, t: T): string {
  const { blocklist } = view.settings;
  const shared =
    view.sharedBlocklistSize > 0
      ? t('discord.admin.sharedBlocklist', {
          entries: counted(t, 'discord.admin.entries', view.sharedBlocklistSize),
        })
      : '';
  if (blocklist.length === 0) return t('discord.admin.blocklistEmpty', { shared }).trim();
  const list = fitList(blocklist.map(code), ' · ', BLOCKLIST_ROOM, t);
  return [
    t('discord.admin.blocklist', {
      entries: counted(t, 'discord.admin.entries', blocklist.length),
    }),
    list,
    shared,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What each kind of change is called in "Saved …" (keys of SettingsChange). */
const CHANGED: Record<string, MessageKey> = {
  budget: 'discord.admin.changed.budget',
  channels: 'discord.admin.changed.channels',
  dms: 'discord.admin.changed.dms',
  roles: 'discord.admin.changed.roles',
  roleAllowance: 'discord.admin.changed.roleAllowance',
  blocklist: 'discord.admin.changed.blocklist',
  auditChannel: 'discord.admin.changed.auditChannel',
};

/** "Saved …" naming what just changed, so the admin sees their change took. */
function savedLine(change: SettingsChange | undefined, t: T): string {
  if (!change) return '';
  const what = t(CHANGED[Object.keys(change)[0] ?? ''] ?? 'discord.admin.changed.settings');
  return t('discord.admin.saved', { what });
}

function settingsBody(view: SettingsView, t: T): MessageBody {
  const pool = (period: ServerPoolView['period']) => view.pools.find((p) => p.period === period);
  const { settings } = view;
  return body(savedLine(view.changed, t), [
    {
      title: t('discord.admin.settingsTitle'),
      color: BLURPLE,
      description: blocklistText(view, t),
      fields: [
        {
          name: t('discord.admin.dailyBudget'),
          value: budgetLine('daily', view, pool('day'), t),
          inline: true,
        },
        {
          name: t('discord.admin.monthlyBudget'),
          value: budgetLine('monthly', view, pool('month'), t),
          inline: true,
        },
        { name: t('discord.admin.where'), value: whereLine(settings, t) },
        { name: t('discord.admin.who'), value: whoLine(settings, t) },
        { name: t('discord.admin.roleAllowances'), value: allowanceLines(settings, t) },
        {
          name: t('discord.admin.auditChannel'),
          value: settings.auditChannel ? `<#${settings.auditChannel}>` : t('discord.admin.off'),
        },
      ],
    },
  ]);
}

function percent(rate: number | null, t: T): string {
  return rate === null
    ? t('discord.admin.noneFinished')
    : t('discord.admin.failedShare', { percent: String(Math.round(rate * 1000) / 10) });
}

function periodLine(period: PeriodUsage, t: T): string {
  return [
    counted(t, 'discord.admin.credits', period.credits),
    counted(t, 'discord.admin.generations', period.generations),
    percent(period.failureRate, t),
    t('discord.admin.refused', { refused: String(period.refused) }),
  ].join('\n');
}

/** A user by mention (shows their name, never pings) when the key is Discord's, else by name. */
function userLabel(row: UsageRow): string {
  const id = userIdOf(row.key);
  return id ? `<@${id}>` : fitEcho(row.name, 80);
}

const channelLabel =
  (t: T) =>
  (row: UsageRow): string =>
    row.key === '' ? t('discord.admin.directMessages') : `<#${row.key}>`;

function topRows(rows: readonly UsageRow[], label: (row: UsageRow) => string, t: T): string {
  if (rows.length === 0) return t('discord.admin.nobodyYet');
  return rows
    .slice(0, TOP_ROWS)
    .map((row, index) =>
      t('discord.admin.topRow', {
        rank: String(index + 1),
        who: label(row),
        credits: counted(t, 'discord.admin.credits', row.credits),
        generations: counted(t, 'discord.admin.generations', row.generations),
        failed:
          row.failed > 0 ? t('discord.admin.failedCount', { failed: String(row.failed) }) : '',
      }),
    )
    .join('\n');
}

function usageBody(view: UsageReportView, t: T): MessageBody {
  const { report, chart } = view;
  return body(
    '',
    [
      {
        title: t('discord.admin.usageTitle'),
        color: BLURPLE,
        description: t('discord.admin.usageDescription', {
          generating: String(view.generatingNow),
        }),
        fields: [
          { name: t('discord.admin.today'), value: periodLine(report.today, t), inline: true },
          { name: t('discord.admin.thisMonth'), value: periodLine(report.month, t), inline: true },
          {
            name: t('discord.admin.last30Days'),
            value: periodLine(report.last30Days, t),
            inline: true,
          },
          {
            name: t('discord.admin.topMembers'),
            value: topRows(report.last30Days.byUser, userLabel, t),
          },
          {
            name: t('discord.admin.topChannels'),
            value: topRows(report.last30Days.byChannel, channelLabel(t), t),
          },
        ],
        image: { url: `attachment://${chart.name}` },
        ...(view.chartCaption ? { footer: { text: view.chartCaption } } : {}),
      },
    ],
    [chart.name],
  );
}

function exportBody(view: ExportView, t: T): MessageBody {
  return body(
    t('discord.admin.export', {
      records: counted(t, 'discord.admin.records', view.records),
      file: view.file.name,
    }),
    [],
    [view.file.name],
  );
}

/** The admin views as Discord messages in the admin's language; undefined for any other view. */
export function renderAdminView(
  view: ConversationView,
  locale: Locale = 'en',
): MessageBody | undefined {
  const t: T = (key, params) => translate(locale, key, params);
  if (view.kind === 'settings') return settingsBody(view, t);
  if (view.kind === 'export') return exportBody(view, t);
  if (view.kind === 'usage' && !view.person) return usageBody(view, t);
  return undefined;
}

/** The files an answer carries (the usage chart, the CSV), in the order `attachments` names them. */
export function viewFiles(view: ConversationView): RawFile[] {
  const file = attachedFileOf(view);
  return file ? [{ name: file.name, data: file.data, contentType: file.contentType }] : [];
}
