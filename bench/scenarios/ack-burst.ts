import {
  discordBurst,
  slackBurst,
  type BurstFigures,
  type BurstShape,
} from '../lib/platform-runs.js';
import { formatMs, type ResultRow, type ScenarioResult } from '../lib/report.js';

/**
 * Scenario 2: 500 /imagine commands in 5 s from 100 users, through the real discord.js client and
 * the real Bolt app (Socket Mode) against their loopback fakes. Measures how soon each command is
 * acknowledged (Discord: dispatch to the deferral callback; Slack: envelope sent to ack received)
 * and whether each result is delivered.
 */

const ACK_P99_GOAL_MS = 150;

/** The message of the bot's last error log line, to say in one line why results went missing. */
export function lastBotError(figures: BurstFigures): string | undefined {
  const lines = (figures.botLog ?? '').split('\n').filter((line) => line.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        err?: { message?: string };
      };
      if ((entry.level ?? 0) >= 50) return `${entry.msg ?? ''}: ${entry.err?.message ?? ''}`;
    } catch {
      // A line cut short by the tail buffer: skip it.
    }
  }
  return undefined;
}

/** Runs one platform's part; a platform that cannot run here is reported, not fatal. */
export async function eachPlatform(
  shape: BurstShape,
  label: string,
): Promise<{ figures: BurstFigures[]; skipped: string[] }> {
  const figures: BurstFigures[] = [];
  const skipped: string[] = [];
  for (const [platform, run] of [
    ['Discord', discordBurst],
    ['Slack', slackBurst],
  ] as const) {
    try {
      figures.push(await run(shape));
    } catch (error) {
      const reason = `${platform}: not available: ${error instanceof Error ? error.message : String(error)}`;
      process.stdout.write(`${label}: ${reason}\n`);
      skipped.push(reason);
    }
  }
  return { figures, skipped };
}

export async function ackBurstScenario(quick: boolean): Promise<ScenarioResult> {
  const shape: BurstShape = quick
    ? { commands: 30, users: 10, spreadMs: 500, taskDurationMs: 1_000, deliveryTimeoutMs: 6_000 }
    : {
        commands: 500,
        users: 100,
        spreadMs: 5_000,
        // Long enough that deliveries overlap the burst, as they would in real use.
        taskDurationMs: 3_000,
        deliveryTimeoutMs: 90_000,
      };
  const rows: ResultRow[] = [];
  const { figures, skipped } = await eachPlatform(shape, '2 Acknowledgement burst');
  const scenario = '2 Ack burst';
  for (const entry of figures) {
    rows.push(
      {
        scenario,
        measure: `${entry.platform}: ack latency p50 / p99 / max`,
        value: `${formatMs(entry.ackLatency.p50)} / ${formatMs(entry.ackLatency.p99)} / ${formatMs(entry.ackLatency.max)}`,
        goal: `p99 < ${ACK_P99_GOAL_MS} ms`,
        baseline: `${shape.commands} commands from ${shape.users} users in ${shape.spreadMs / 1000} s`,
        met: entry.acknowledged === entry.commands && entry.ackLatency.p99 < ACK_P99_GOAL_MS,
      },
      {
        scenario,
        measure: `${entry.platform}: acknowledged / delivered`,
        value: `${entry.acknowledged} / ${entry.delivered} of ${entry.commands}`,
        goal: `${entry.commands} / ${entry.commands}`,
        baseline:
          entry.delivered < entry.commands
            ? `bot error: ${lastBotError(entry) ?? 'none logged'}`
            : `last delivery after ${(entry.lastDeliveryMs / 1000).toFixed(1)} s (tasks take ${shape.taskDurationMs / 1000} s)`,
        met: entry.acknowledged === entry.commands && entry.delivered === entry.commands,
      },
    );
  }
  for (const reason of skipped)
    rows.push({ scenario, measure: reason, value: 'skipped', goal: '', baseline: '' });
  return {
    id: 'burst',
    title: '2 Acknowledgement burst',
    rows,
    data: { shape, figures: figures.map(({ botLog: _log, ...rest }) => rest), skipped },
  };
}
