import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Ends every run with one plain line, `Tests: N passed, N failed, N skipped`, after vitest's own
 * summary, so CI logs and scripts can read the outcome without parsing coloured output.
 * A test file that fails to load, or an error thrown outside any test, counts as a failure.
 */
class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let moduleFailures = 0;
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') passed += 1;
        else if (state === 'failed') moduleFailures += 1;
        else skipped += 1;
      }
      // A file that failed to import or whose hooks threw may have no failed test to show for it.
      if (moduleFailures === 0 && testModule.state() === 'failed') moduleFailures = 1;
      failed += moduleFailures;
    }
    failed += unhandledErrors.length;
    if (reason === 'interrupted') process.stdout.write('\nTest run interrupted.');
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers (fakes on 127.0.0.1); separate processes keep their sockets,
    // timers and native handles (sqlite3) apart and let a hung file be killed cleanly.
    pool: 'forks',
    // A worker runs its files one after another in one module cache: discord.js, Bolt and the bot are
    // imported once per worker, not once per file (import time summed over files: 251 s -> 44 s).
    // Every test file starts and closes its own servers and restores what it changes.
    isolate: false,
    // Most tests wait on timers and sockets rather than the CPU, so more files than cores run at once.
    maxWorkers: 4,
    reporters: ['default', new SummaryReporter()],
    passWithNoTests: false,
  },
});
