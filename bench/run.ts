import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, renderReport, type ScenarioResult } from './lib/report.js';
import { ackBurstScenario } from './scenarios/ack-burst.js';
import { capacityScenario } from './scenarios/capacity.js';
import { imageRelayScenario } from './scenarios/image-relay.js';
import { pollingScenario } from './scenarios/polling.js';
import { storeScenario } from './scenarios/store.js';
import { tiersScenario } from './scenarios/tiers.js';

/**
 * `npm run bench [-- --quick] [-- --only=polling,capacity]`: runs each scenario in turn, prints a
 * markdown table of every figure beside its goal and baseline, and writes the raw numbers to
 * bench/results/latest.json (a quick run writes latest-quick.json, so CI never overwrites the
 * figures the README quotes). Not a pass/fail test: a missed speed goal is reported, not an exit
 * code; only a broken scenario or an undelivered result fails the run.
 */

interface Scenario {
  id: string;
  title: string;
  run: (quick: boolean) => Promise<ScenarioResult>;
}

const SCENARIOS: Scenario[] = [
  { id: 'polling', title: '1 Polling efficiency', run: pollingScenario },
  { id: 'burst', title: '2 Acknowledgement burst', run: ackBurstScenario },
  { id: 'capacity', title: '3 Capacity', run: capacityScenario },
  { id: 'relay', title: '4 Image relay', run: imageRelayScenario },
  { id: 'store', title: '5 Store', run: storeScenario },
  { id: 'tiers', title: '6 API tiers', run: tiersScenario },
];

function parseArguments(argv: readonly string[]): { quick: boolean; only?: Set<string> } {
  const quick = argv.includes('--quick');
  const onlyArgument = argv.find((argument) => argument.startsWith('--only='));
  return onlyArgument
    ? { quick, only: new Set(onlyArgument.slice('--only='.length).split(',')) }
    : { quick };
}

function previousResults(file: string): ScenarioResult[] {
  if (!existsSync(file)) return [];
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { results: ScenarioResult[] }).results;
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const { quick, only } = parseArguments(process.argv.slice(2));
  const machine = machineInfo();
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    if (only && !only.has(scenario.id)) continue;
    const started = performance.now();
    process.stderr.write(`running ${scenario.title}${quick ? ' (quick)' : ''}…\n`);
    try {
      const result = await scenario.run(quick);
      result.durationMs = Math.round(performance.now() - started);
      results.push(result);
      if (result.skipped)
        process.stdout.write(`${scenario.title}: not available: ${result.skipped}\n`);
    } catch (error) {
      // One broken scenario must not hide the figures of the others.
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`${scenario.title} ${reason}\n`);
      results.push({ id: scenario.id, title: scenario.title, rows: [], skipped: reason });
    }
    process.stderr.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`\n${renderReport(machine, results, quick)}\n`);
  const resultsDirectory = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(resultsDirectory, { recursive: true });
  const file = join(resultsDirectory, quick ? 'latest-quick.json' : 'latest.json');
  // A partial run (--only) replaces its scenarios' figures and keeps the others' from before.
  const kept = only ? previousResults(file).filter((result) => !only.has(result.id)) : [];
  const order = (result: ScenarioResult) => SCENARIOS.findIndex((entry) => entry.id === result.id);
  const merged = [...kept, ...results].sort((a, b) => order(a) - order(b));
  writeFileSync(file, `${JSON.stringify({ machine, quick, results: merged }, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
  // Speed goals are reported, not enforced; a scenario that broke, or work that never reached
  // the user, is a defect, and CI's quick run must fail on it.
  const broken = results.filter((result) => result.skipped?.startsWith('failed'));
  const undelivered = results.flatMap((result) =>
    result.rows.filter((row) => /delivered/.test(row.measure) && row.met === false),
  );
  for (const row of undelivered)
    process.stderr.write(`NOT DELIVERED: ${row.measure}: ${row.value}\n`);
  if (broken.length > 0 || undelivered.length > 0) process.exitCode = 1;
}

await main();
