/**
 * What both benchmarks measure when given no options: the rows people compare, the dense baseline,
 * TinyVGG and our CNN (the speed table in docs/benchmarks.md), within about five minutes on a
 * 2-core machine. The slow rows (the pure-JavaScript cpu backend, WebGL on a software renderer,
 * the largest models) are one flag away: --all.
 */
import type { ModelName } from '../../src/core/models/catalog.ts';

export const COMPARED_MODELS: readonly ModelName[] = ['dense', 'tinyvgg', 'default'];
