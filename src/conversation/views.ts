import type { GenerationOptions, Resolution } from '../core/options.js';
import type { PoolStatus } from '../core/budget-pools.js';
import type { JobRecord, JobState } from '../core/types.js';
import type { UsageReport } from '../audit/index.js';
import type { PersonRef, SettingsChange } from './interaction.js';
import type { WorkspaceSettings } from './settings/index.js';

/** A sentence for the actor: a refusal, an error (with its code), or a confirmation. */
export interface NoticeView {
  kind: 'notice';
  tone: 'error' | 'info';
  /** The catalogue code it was rendered from (`internal` carries a correlation id in `text`). */
  code?: string;
  text: string;
}

export interface InFlightJob {
  prompt: string;
  options: GenerationOptions;
  state: JobState;
}

/** What images cost, for /quota and help. */
export interface Pricing {
  /** Credits a new image of each size costs. */
  costs: Record<Resolution, number>;
  /** One sentence: an edit, variation or upscale costs what a new image of its result's size costs. */
  editing: string;
}

/** A button under every finished result, as help explains it (labels: RESULT_ACTIONS). */
export interface ResultActionHelp {
  action: 'reroll' | 'edit' | 'vary' | 'upscale' | 'share' | 'delete';
  summary: string;
}

export interface QuotaView {
  kind: 'quota';
  remaining: number;
  dailyCredits: number;
  used: number;
  resetsAt: Date;
  /** "in 3 h 20 min (00:00 UTC)", in the person's language, for platforms without their own date formatting. */
  resetsIn: string;
  inFlight: InFlightJob[];
  pricing: Pricing;
  /** The server's pools this person's generations here are charged to (none: no server cap). */
  serverPools: ServerPoolView[];
}

/** One of a server's credit pools, as /quota and the settings show it. */
export interface ServerPoolView extends Omit<PoolStatus, 'pool'> {
  /** "in 3 h 20 min (00:00 UTC)" / "in 12 days 4 h (00:00 UTC on 1 January)", in the person's language. */
  resetsIn: string;
}

export interface HistoryView {
  kind: 'history';
  /** Newest first; the records as the core keeps them. */
  jobs: JobRecord[];
  /** How many were asked for (the list may be shorter). */
  limit: number;
}

export interface HelpEntry {
  /** The conversation's name for it (`generate`, `quota`, …): adapters write their own syntax. */
  name: string;
  summary: string;
}

export interface HelpView {
  kind: 'help';
  commands: HelpEntry[];
  /** Option flags and their valid values, in the order people read them. */
  options: { flag: string; values: readonly string[] | null; meaning?: string }[];
  /** The buttons on a finished result, in the order they appear. */
  actions: ResultActionHelp[];
  pricing: Pricing;
  /** A prompt containing this fails on purpose (the simulated API only). */
  failMarker?: string;
}

/** Share step one: which channel should the result go to. */
export interface SharePickerView {
  kind: 'share-picker';
  job: JobRecord;
}

/** Share done. */
export interface SharedView {
  kind: 'shared';
  job: JobRecord;
  to: string;
}

export interface CreditsSetView {
  kind: 'credits-set';
  person: PersonRef;
  daily: number;
  remainingToday: number;
}

export type UsageView =
  | {
      kind: 'usage';
      person: PersonRef;
      used: number;
      dailyCredits: number;
      remaining: number;
      inFlight: number;
      resetsIn: string;
    }
  | UsageReportView;

/** A file the platform attaches to a private answer (the usage chart, the CSV export). */
export interface AttachedFile {
  name: string;
  contentType: 'image/png' | 'text/csv';
  data: Buffer;
}

/** The server's usage (today, this month, last 30 days) and its chart. */
export interface UsageReportView {
  kind: 'usage';
  person?: undefined;
  report: UsageReport;
  /** The chart as a PNG (credits per day for 30 days, top users). */
  chart: AttachedFile;
  /**
   * What the chart shows, in the reader's language, to show beside it when its words are not
   * (its font draws Latin letters only).
   */
  chartCaption?: string;
  /** Generations running now, on this replica. */
  generatingNow: number;
}

/** The server's settings as they stand (after `changed`, when an admin just changed something). */
export interface SettingsView {
  kind: 'settings';
  settings: WorkspaceSettings;
  /** The budgets that apply: the server's own, else the operator's; undefined: no cap. */
  budget: { daily?: number; monthly?: number };
  /** Where each budget comes from, for "(operator default)". */
  budgetSource: { daily: 'server' | 'operator' | 'none'; monthly: 'server' | 'operator' | 'none' };
  /** The pools' current use. */
  pools: ServerPoolView[];
  /** Entries of PROMPT_BLOCKLIST_FILE, which apply to every server beside its own blocklist. */
  sharedBlocklistSize: number;
  changed?: SettingsChange;
}

/** The audit export. */
export interface ExportView {
  kind: 'export';
  file: AttachedFile;
  records: number;
}

/** Everything the conversation shows to the person who acted. */
export type ConversationView =
  | NoticeView
  | QuotaView
  | HistoryView
  | HelpView
  | SharePickerView
  | SharedView
  | CreditsSetView
  | UsageView
  | SettingsView
  | ExportView;

/** The file a view carries (the usage chart, the audit export), for platforms that attach files. */
export function attachedFileOf(view: ConversationView): AttachedFile | undefined {
  if (view.kind === 'export') return view.file;
  return view.kind === 'usage' && !view.person ? view.chart : undefined;
}
