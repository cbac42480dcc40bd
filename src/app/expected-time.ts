/**
 * The expected time of a run in the page's words (core/run-estimate.ts does the arithmetic): under
 * the Train and Compare buttons, and in the question a long run asks before it starts.
 */
import { MEASURED_ON, type EstimateBackend, type RunEstimate } from '../core/run-estimate.ts';
import type { BackendReport } from './protocol.ts';

/** The backend the engine reported (WebAssembly until it has): which measured speeds apply. */
export function estimateBackend(report: BackendReport | null): EstimateBackend {
  if (!report || report.backend === 'wasm') return 'wasm';
  if (report.backend === 'cpu') return 'cpu';
  return report.softwareRenderer ? 'webgl-software' : 'webgl-gpu';
}

/** An estimate's precision, no finer: "under a minute", "4 min", "25 min", "1 h 20 min". */
export function formatEstimate(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = seconds / 60;
  if (minutes < 10) return `${Math.ceil(minutes)} min`;
  if (minutes < 60) return `${Math.round(minutes / 5) * 5} min`;
  const tens = Math.round(minutes / 10) * 10;
  const h = Math.floor(tens / 60);
  const m = tens % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const about = (seconds: number): string => (seconds < 60 ? formatEstimate(seconds) : `about ${formatEstimate(seconds)}`);

/** "about 1 h 20 min (at the speed measured for WebAssembly on 2 CPU cores)", or why there is none. */
function expected(estimate: RunEstimate): string {
  if (estimate.seconds !== null) return `${about(estimate.seconds)} (at the speed measured for ${MEASURED_ON[estimate.backend]})`;
  return `not measured for ${MEASURED_ON[estimate.backend]} yet; ${about(estimate.wasmSeconds)} for ${MEASURED_ON.wasm}`;
}

/** The line under the start button. */
export function describeEstimate(estimate: RunEstimate): string {
  return `Expected time: ${expected(estimate)}.`;
}

/** What a long run asks before it starts. */
export function confirmMessage(estimate: RunEstimate): string {
  return `This run is expected to take a long time: ${expected(estimate)}. It lives in this tab, which must stay open until it ends. Start it?`;
}
