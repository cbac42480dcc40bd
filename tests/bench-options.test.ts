/**
 * What a bare `npm run bench` and `npm run bench:browser` measure: the compared models on WASM
 * (1 and 2 threads) against PyTorch, and WebGL only where it is real (--gpu); the slow rows (the
 * cpu backend, every model, WebGL on SwiftShader, batch 256) one flag away, --all.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_NAMES } from '../src/core/models/catalog.ts';
import { BENCH_USAGE, parseBenchArgs } from '../scripts/lib/bench-options.ts';
import { USAGE, parseBrowserBenchArgs } from '../scripts/lib/browser-bench/options.ts';

describe('npm run bench options', () => {
  it('measures the compared models on WASM with 1 and 2 threads, against PyTorch, by default', () => {
    const options = parseBenchArgs([]);
    expect(options.configurations).toEqual(['wasm:1', 'wasm:2']);
    expect(options.models).toEqual(['dense', 'tinyvgg', 'default']);
    expect(options.peer).toBe(true);
  });

  it('--all adds every model and the cpu backend; other options still narrow it', () => {
    const all = parseBenchArgs(['--all']);
    expect(all.configurations).toEqual(['wasm:1', 'wasm:2', 'cpu:1']);
    expect(all.models).toEqual([...MODEL_NAMES]);
    expect(parseBenchArgs(['--all', '--models', 'tinyvgg']).models).toEqual(['tinyvgg']);
    expect(parseBenchArgs(['--backends', 'cpu']).configurations).toEqual(['cpu:1']);
  });

  it('names the bad option', () => {
    expect(() => parseBenchArgs(['--models', 'resnet'])).toThrow('--models: unknown model "resnet"');
    expect(() => parseBenchArgs(['--backends', 'webgpu'])).toThrow('--backends: unknown backend "webgpu"');
    expect(() => parseBenchArgs(['--threads', '1,two'])).toThrow(
      '--threads: "two" is neither a thread count (2) nor one tfjs thread + ours (1+2)',
    );
    expect(parseBenchArgs(['--threads', '1,2,1+2']).configurations).toEqual(['wasm:1', 'wasm:2', 'wasm:1+2']);
    expect(() => parseBenchArgs(['--reps', '0'])).toThrow('--reps: must be a whole number from 1');
  });

  it('--help says what the defaults are and where the slow rows went', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(BENCH_USAGE).toContain('(default: dense,tinyvgg,default)');
    expect(BENCH_USAGE).toMatch(/--backends .*default: wasm/);
    expect(BENCH_USAGE).toMatch(/--all .*cpu/);
  });
});

describe('npm run bench:browser options', () => {
  it('measures WASM only by default, at the batch sizes the page uses', () => {
    const options = parseBrowserBenchArgs([]);
    expect(options.backends).toEqual(['wasm']);
    expect(options.batches).toEqual([64, 128]);
    expect(options.models).toEqual(['dense', 'tinyvgg', 'default']);
    expect(options.threads.slice(0, 2)).toEqual([1, 2]);
  });

  it('adds WebGL where it is real (--gpu); --all adds it on SwiftShader too, and batch 256', () => {
    expect(parseBrowserBenchArgs(['--gpu']).backends).toEqual(['webgl', 'wasm']);
    const all = parseBrowserBenchArgs(['--all']);
    expect(all.backends).toEqual(['webgl', 'wasm']);
    expect(all.batches).toEqual([64, 128, 256]);
    expect(parseBrowserBenchArgs(['--all', '--backends', 'wasm']).backends).toEqual(['wasm']);
    expect(USAGE).toMatch(/--all .*SwiftShader/);
  });
});
