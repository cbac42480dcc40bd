/**
 * The browser benchmark's results: what bench-results/browser.json holds, and the Markdown table
 * (with the PyTorch peer's figures from the same run below it) that browser.md holds.
 */
import type { BenchRow, PageInfo } from '../../bench-browser/protocol.ts';
import { matchingPeer, type PeerRow } from '../pytorch-peer.ts';

export interface BrowserBenchResult {
  date: string;
  chromium: string;
  page: PageInfo;
  /** Logical cores of the machine (Node's count; the page may be told otherwise). */
  cpus: number;
  gpu: boolean;
  steps: number;
  reps: number;
  rows: BenchRow[];
  peer: PeerRow[];
}

const number = (x: number, digits = 0) => x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const orDash = (x: number | null, digits = 0) => (x === null ? '–' : number(x, digits));

/** "WebGL (software)" on SwiftShader and the like, "WebGL (GPU)" on hardware, "WASM" otherwise. */
export function backendLabel(row: BenchRow): string {
  if (row.backend === 'wasm') return 'WASM';
  return row.software ? 'WebGL (software)' : 'WebGL (GPU)';
}

export function browserBenchMarkdown(result: BrowserBenchResult): string {
  const renderers = [
    ...new Set(result.rows.filter((r) => r.backend === 'webgl').map((r) => `${r.renderer ?? 'none'}${r.software ? ' (software)' : ''}`)),
  ];
  const torch = result.peer[0];
  const lines = [
    `${result.chromium}, headless, ${result.cpus} logical cores${result.gpu ? ', GPU mode (ANGLE on Vulkan)' : ''}; ` +
      `training images/s on random images, median of ${result.reps} reps of ${result.steps} steps after a warm-up step; ${result.date.slice(0, 10)}.`,
    ...(renderers.length ? [`WebGL renderer: ${renderers.join('; ')}.`] : []),
    '',
    '| backend | threads | model | batch | img/s | ms/step | kernels/step | warm-up s | shader programs | uploads/step | downloads/step | vs PyTorch |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    const peer = matchingPeer(result.peer, r);
    const ratio = peer ? `${(r.imagesPerSecond / peer.train_images_per_s).toFixed(2)}×` : '–';
    lines.push(
      `| ${backendLabel(r)} | ${r.threads ?? '–'} | ${r.model} | ${r.batch} | ${number(r.imagesPerSecond)} | ${number(r.msPerStep, 1)} | ` +
        `${r.kernelsPerStep} | ${number(r.warmupMs / 1000, 1)} | ${orDash(r.shaderProgramsWarmup)} | ${orDash(r.uploadsPerStep, 1)} | ` +
        `${orDash(r.downloadsPerStep, 1)} | ${ratio} |`,
    );
  }
  if (torch) {
    lines.push(
      '',
      `PyTorch ${torch.torch} on the CPU, same run (WASM rows are compared with as many PyTorch threads; WebGL rows with one):`,
      '',
      '| model | batch | threads | img/s |',
      '|---|---:|---:|---:|',
    );
    for (const p of result.peer) lines.push(`| ${p.model} | ${p.batch} | ${p.threads} | ${number(p.train_images_per_s)} |`);
  }
  return `${lines.join('\n')}\n`;
}
