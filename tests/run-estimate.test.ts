/** The expected time of a run before it starts (core/run-estimate.ts) and how the page words it (app/expected-time.ts). */
import { describe, expect, it } from 'vitest';
import { PRESETS, recommendedConfig } from '../src/core/config.ts';
import { MODEL_NAMES } from '../src/core/models/catalog.ts';
import { estimateRun, MEASURED_SPEEDS, needsConfirmation } from '../src/core/run-estimate.ts';
import { confirmMessage, describeEstimate, estimateBackend, formatEstimate } from '../src/app/expected-time.ts';

describe('the expected time of a run', () => {
  it('has a measured WebAssembly speed for every model of the zoo', () => {
    for (const model of MODEL_NAMES) expect(MEASURED_SPEEDS.wasm[model], model).toBeGreaterThan(0);
  });

  it('counts training, validation and testing at the measured speed', () => {
    // Quick: 57,000 images trained; 3,000 validation and 10,000 test images at half the cost.
    const quick = estimateRun([PRESETS.quick.config], true, 'wasm');
    expect(quick.seconds).toBeCloseTo((57_000 + 13_000 / 2) / MEASURED_SPEEDS.wasm.default!, 6);
    expect(needsConfirmation(quick)).toBe(false);
    expect(describeEstimate(quick)).toBe('Expected time: under a minute (at the speed measured for WebAssembly on 2 CPU cores).');
    // Testing once at the end instead of after each epoch takes less.
    const config = { ...recommendedConfig('tinyvgg'), epochs: 3 };
    expect(estimateRun([config], false, 'wasm').seconds!).toBeLessThan(estimateRun([config], true, 'wasm').seconds!);
    // Compare: both members' time.
    const dense = recommendedConfig('dense');
    expect(estimateRun([dense, config], true, 'wasm').seconds).toBeCloseTo(
      estimateRun([dense], true, 'wasm').seconds! + estimateRun([config], true, 'wasm').seconds!,
      6,
    );
  });

  it('asks before the Best preset, and says where a backend has no measured speed', () => {
    const best = estimateRun([PRESETS.best.config], true, 'wasm');
    // 20 epochs of 57,000 augmented images at 268 a second, flip-averaged testing: about 1½ hours.
    expect(formatEstimate(best.seconds!)).toBe('1 h 30 min');
    expect(needsConfirmation(best)).toBe(true);
    expect(confirmMessage(best)).toBe(
      'This run is expected to take a long time: about 1 h 30 min (at the speed measured for WebAssembly on 2 CPU cores). It lives in this tab, which must stay open until it ends. Start it?',
    );
    const gpu = estimateRun([PRESETS.best.config], true, 'webgl-gpu');
    expect(gpu.seconds).toBeNull();
    expect(gpu.wasmSeconds).toBe(best.seconds);
    expect(needsConfirmation(gpu)).toBe(true);
    expect(describeEstimate(gpu)).toBe(
      'Expected time: not measured for WebGL on a graphics card yet; about 1 h 30 min for WebAssembly on 2 CPU cores.',
    );
    expect(estimateRun([PRESETS.quick.config], true, 'webgl-software').seconds).toBeGreaterThan(30 * 60);
  });

  it('reads the backend from the engine report, WebAssembly until there is one', () => {
    const report = {
      backend: 'webgl' as const,
      renderer: 'x',
      softwareRenderer: true,
      webglAvailable: true,
      wasmThreads: 1,
      kernelThreads: 0,
      note: null,
    };
    expect(estimateBackend(null)).toBe('wasm');
    expect(estimateBackend(report)).toBe('webgl-software');
    expect(estimateBackend({ ...report, softwareRenderer: false })).toBe('webgl-gpu');
    expect(estimateBackend({ ...report, backend: 'wasm' })).toBe('wasm');
  });

  it('rounds as an estimate should', () => {
    expect(formatEstimate(59)).toBe('under a minute');
    expect(formatEstimate(61)).toBe('2 min');
    expect(formatEstimate(14 * 60)).toBe('15 min');
    expect(formatEstimate(60 * 60)).toBe('1 h');
    expect(formatEstimate(2 * 3600 + 7 * 60)).toBe('2 h 10 min');
  });
});
