import { cpus, totalmem } from 'node:os';

/** One reported figure: what was measured, next to the goal it is judged against and a baseline. */
export interface ResultRow {
  scenario: string;
  measure: string;
  value: string;
  goal: string;
  baseline: string;
  /** Whether the goal was met; undefined where the row has no goal. */
  met?: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  rows: ResultRow[];
  /** Set when the scenario could not run here; the reason is printed instead of figures. */
  skipped?: string;
  /** Extra tables (markdown) that show a comparison better than single rows can. */
  details?: string[];
  /** Raw numbers for bench/results/latest.json. */
  data?: unknown;
  durationMs?: number;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export function describeMachine(machine: MachineInfo): string {
  return (
    `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ` +
    `Node ${machine.node}, ${machine.platform}, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`
  );
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>) {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

const MET_MARK = { true: 'yes', false: '**no**' } as const;

/** The summary table: every figure beside its goal and baseline, and skipped scenarios with why. */
export function renderReport(
  machine: MachineInfo,
  results: readonly ScenarioResult[],
  quick: boolean,
): string {
  const rows: string[][] = [];
  for (const result of results) {
    if (result.skipped) {
      rows.push([result.title, 'not available', result.skipped, '', '', '']);
      continue;
    }
    for (const row of result.rows)
      rows.push([
        row.scenario,
        row.measure,
        row.value,
        row.goal,
        row.baseline,
        row.met === undefined ? '' : MET_MARK[`${row.met}`],
      ]);
  }
  const parts = [
    `Machine: ${describeMachine(machine)}${quick ? ' — **quick run** (small scenarios, for CI)' : ''}`,
    '',
    markdownTable(['Scenario', 'Measure', 'Result', 'Goal', 'Baseline', 'Met'], rows),
  ];
  for (const result of results)
    if (result.details?.length)
      parts.push('', `**${result.title}**`, ...result.details.flatMap((detail) => ['', detail]));
  return parts.join('\n');
}

export const formatSeconds = (ms: number, digits = 2) =>
  Number.isFinite(ms) ? `${(ms / 1000).toFixed(digits)} s` : 'n/a';
export const formatMs = (ms: number, digits = 1) =>
  Number.isFinite(ms) ? `${ms.toFixed(digits)} ms` : 'n/a';
export const formatMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
