import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files the last lines name. */
const SLOWEST = 5;

/**
 * Ends the run with one plain line, "Tests: N passed, N failed, N skipped", that CI and people
 * can read whatever runner printed above it, after a line naming the slowest files: where a
 * faster suite would start.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) counts[test.result().state]++;
      // A file that fails to load has no tests to count, yet the run failed.
      if (module.state() === 'failed' && module.children.size === 0) counts.failed++;
    }
    const slowest = testModules
      .map((module) => ({ file: relative(process.cwd(), module.moduleId), seconds: module.diagnostic().duration / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST)
      .filter((x) => x.seconds >= 1);
    if (slowest.length > 1) console.log(`\nSlowest files: ${slowest.map((x) => `${x.file} ${x.seconds.toFixed(0)} s`).join(', ')}`);
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
