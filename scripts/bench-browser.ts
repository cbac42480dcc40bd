/**
 * `npm run bench:browser`: training speed of the zoo's models in headless Chromium, in a Web
 * Worker through the page's own training code, on WebGL and on WASM, at several batch sizes;
 * kernels per step, warm-up, and WebGL's shader programs and transfers too.
 * Writes bench-results/browser.json and browser.md, with PyTorch's figures when it is installed.
 *
 * By default WASM with 1, 2, … threads at batch 64 and 128; WebGL with --gpu, or on SwiftShader
 * with --all; `--click N` times a visitor's wait from a click on Train to the test accuracy instead.
 * Options: scripts/lib/browser-bench/options.ts, or `npm run bench:browser -- --help`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clickMarkdown, clickToAccuracy } from './lib/browser-bench/click-to-accuracy.ts';
import { USAGE, UsageError, parseBrowserBenchArgs } from './lib/browser-bench/options.ts';
import { runBrowserBench } from './lib/browser-bench/run.ts';

async function main(): Promise<void> {
  const options = parseBrowserBenchArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options.click > 0) {
    const runs = await clickToAccuracy(options.click, options.chromium, console.error);
    const markdown = clickMarkdown(runs);
    mkdirSync(options.out, { recursive: true });
    const loadAverage = (await import('node:os')).loadavg();
    writeFileSync(join(options.out, 'click.json'), `${JSON.stringify({ date: new Date().toISOString(), loadAverage, runs }, null, 2)}\n`);
    writeFileSync(join(options.out, 'click.md'), `${markdown}\n`);
    console.log(markdown);
    console.log(`load average at the end (1, 5, 15 min): ${loadAverage.map((x) => x.toFixed(2)).join(', ')}`);
    return;
  }
  const output = await runBrowserBench(options);
  console.log(output.markdown);
  console.log(`written: ${relative(process.cwd(), output.jsonPath)}, ${relative(process.cwd(), output.markdownPath)}`);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  // Bad arguments exit 2 (with the usage), anything else 1, as `npm run train` does.
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
