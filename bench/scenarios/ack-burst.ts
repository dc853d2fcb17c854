import {
  ACK_DEADLINE_MS,
  discordBurst,
  expectedImages,
  slackBurst,
  type BurstFigures,
  type BurstShape,
} from '../lib/platform-runs.js';
import { formatMs, type ResultRow, type ScenarioResult } from '../lib/report.js';

/**
 * Scenario 2: 500 /imagine commands in 5 s from 100 users, through the real discord.js client and
 * the real Bolt app (Socket Mode) against their loopback fakes. Measures how soon each command is
 * acknowledged (Discord: dispatch to the deferral callback; Slack: envelope sent to ack received)
 * and whether each result is delivered. Then 1,000 Discord commands in 10 s from 200 users with 4
 * credits for their 5 commands: each acknowledged within 3 s and answered (image or quota notice),
 * none lost.
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

/** Ack latency against the goal and the platforms' own 3 s deadline. */
function ackRow(
  scenario: string,
  label: string,
  entry: BurstFigures,
  shape: BurstShape,
): ResultRow {
  const { p50, p99, max } = entry.ackLatency;
  return {
    scenario,
    measure: `${label}: ack latency p50 / p99 / max`,
    value: `${formatMs(p50)} / ${formatMs(p99)} / ${formatMs(max)}`,
    goal: `p99 < ${ACK_P99_GOAL_MS} ms, max < ${ACK_DEADLINE_MS / 1000} s`,
    baseline: `${shape.commands} commands from ${shape.users} users in ${shape.spreadMs / 1000} s`,
    met: entry.acknowledged === entry.commands && p99 < ACK_P99_GOAL_MS && max < ACK_DEADLINE_MS,
  };
}

function deliveryBaseline(entry: BurstFigures, shape: BurstShape): string {
  return entry.delivered < expectedImages(shape)
    ? `bot error: ${lastBotError(entry) ?? 'none logged'}`
    : `last delivery after ${(entry.lastDeliveryMs / 1000).toFixed(1)} s (tasks take ${shape.taskDurationMs / 1000} s)`;
}

/**
 * Users who run out of credits mid-burst (Discord): every command must still be answered, with its
 * image or with the quota notice, and none lost.
 */
async function creditsRunOut(scenario: string, shape: BurstShape): Promise<ResultRow[]> {
  const label = `Discord, ${shape.userDailyCredits} credits each`;
  let entry: BurstFigures;
  try {
    entry = await discordBurst(shape);
  } catch (error) {
    const reason = `${label}: not available: ${error instanceof Error ? error.message : String(error)}`;
    return [{ scenario, measure: reason, value: 'skipped', goal: '', baseline: '' }];
  }
  const answers = entry.answers ?? { image: 0, failure: 0, quota: 0, unanswered: shape.commands };
  const images = expectedImages(shape);
  return [
    ackRow(scenario, label, entry, shape),
    {
      scenario,
      measure: `${label}: delivered images / quota notices / failures / unanswered`,
      value: `${answers.image} / ${answers.quota} / ${answers.failure} / ${answers.unanswered}`,
      goal: `${images} / ${shape.commands - images} / 0 / 0`,
      baseline: deliveryBaseline(entry, shape),
      met:
        entry.acknowledged === entry.commands &&
        answers.image === images &&
        answers.quota === shape.commands - images &&
        answers.failure === 0 &&
        answers.unanswered === 0,
    },
  ];
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
  // Five commands each and four credits a day: every user meets the quota notice once.
  const creditsShape: BurstShape = quick
    ? { ...shape, commands: 50, users: 10, spreadMs: 1_000, userDailyCredits: 4 }
    : {
        commands: 1_000,
        users: 200,
        spreadMs: 10_000,
        taskDurationMs: 3_000,
        deliveryTimeoutMs: 120_000,
        userDailyCredits: 4,
      };
  const rows: ResultRow[] = [];
  const { figures, skipped } = await eachPlatform(shape, '2 Acknowledgement burst');
  const scenario = '2 Ack burst';
  for (const entry of figures) {
    rows.push(ackRow(scenario, entry.platform, entry, shape), {
      scenario,
      measure: `${entry.platform}: acknowledged / delivered`,
      value: `${entry.acknowledged} / ${entry.delivered} of ${entry.commands}`,
      goal: `${entry.commands} / ${entry.commands}`,
      baseline: deliveryBaseline(entry, shape),
      met: entry.acknowledged === entry.commands && entry.delivered === entry.commands,
    });
  }
  for (const reason of skipped)
    rows.push({ scenario, measure: reason, value: 'skipped', goal: '', baseline: '' });
  rows.push(...(await creditsRunOut(scenario, creditsShape)));
  return {
    id: 'burst',
    title: '2 Acknowledgement burst',
    rows,
    data: {
      shape,
      creditsShape,
      figures: figures.map(({ botLog: _log, ...rest }) => rest),
      skipped,
    },
  };
}
