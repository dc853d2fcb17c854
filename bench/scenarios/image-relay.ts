import type { BurstFigures, BurstShape } from '../lib/platform-runs.js';
import { formatMiB, type ResultRow, type ScenarioResult } from '../lib/report.js';
import { eachPlatform, lastBotError } from './ack-burst.js';

/**
 * Scenario 4: 50 results of 8 MiB finishing at once, each downloaded from the image API and
 * uploaded to the chat platform by the real adapter. Measures the bot process's peak RSS (sampled
 * every 10 ms) and the time until the last result is shown.
 */

const PEAK_RSS_GOAL_BYTES = 400 * 2 ** 20;
const MiB = 2 ** 20;

export async function imageRelayScenario(quick: boolean): Promise<ScenarioResult> {
  const shape: BurstShape = quick
    ? {
        commands: 5,
        users: 5,
        spreadMs: 0,
        taskDurationMs: 500,
        imageBytes: 1 * MiB,
        deliveryTimeoutMs: 6_000,
      }
    : {
        commands: 50,
        users: 50,
        spreadMs: 0,
        taskDurationMs: 1_000,
        imageBytes: 8 * MiB,
        deliveryTimeoutMs: 120_000,
      };
  const { figures, skipped } = await eachPlatform(shape, '4 Image relay');
  const scenario = '4 Image relay';
  const size = `${shape.commands} × ${formatMiB(shape.imageBytes ?? 0)}`;
  const rows: ResultRow[] = [];
  for (const entry of figures) {
    const allDelivered = entry.delivered === entry.commands;
    rows.push(
      {
        scenario,
        measure: `${entry.platform}: bot peak RSS, ${size} at once`,
        value: formatMiB(entry.botPeakRssBytes),
        goal: `< ${formatMiB(PEAK_RSS_GOAL_BYTES)}`,
        baseline: `bot before: ${formatMiB(entry.botIdleRssBytes)}`,
        met: allDelivered && entry.botPeakRssBytes < PEAK_RSS_GOAL_BYTES,
      },
      {
        scenario,
        measure: `${entry.platform}: delivered, time to last delivery`,
        value: `${entry.delivered} of ${entry.commands}, ${(entry.lastDeliveryMs / 1000).toFixed(1)} s`,
        goal: `${entry.commands} of ${entry.commands}`,
        baseline: deliveryNote(entry, shape),
        met: allDelivered,
      },
    );
  }
  for (const reason of skipped)
    rows.push({ scenario, measure: reason, value: 'skipped', goal: '', baseline: '' });
  return {
    id: 'relay',
    title: '4 Image relay',
    rows,
    data: { shape, figures: figures.map(({ botLog: _log, ...rest }) => rest), skipped },
  };
}

function deliveryNote(entry: BurstFigures, shape: BurstShape): string {
  if (entry.delivered < entry.commands) return `bot error: ${lastBotError(entry) ?? 'none logged'}`;
  return `tasks take ${shape.taskDurationMs / 1000} s; smallest upload ${formatMiB(entry.smallestDeliveredBytes)}`;
}
