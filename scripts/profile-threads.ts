/**
 * Where the kernel threads' time goes while a model trains (src/core/kernels/threads/): parts run
 * by the calling thread and by each helper, the milliseconds each spent in them, and how long the
 * caller waited for helpers' parts under way after its own. With --busy N, N other processes keep
 * cores busy meanwhile (scripts/lib/busy-cores.ts).
 *
 * Also the process's CPU time per image (all its threads): time spent spinning shows there even
 * when other programs make the wall-clock figures drift.
 *
 *   npx tsx scripts/profile-threads.ts [--model tinyvgg] [--threads 2] [--kernel-threads 2]
 *                                      [--images 2560] [--busy 0]
 */
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/core/config.ts';
import { kernelThreadStats } from '../src/core/kernels/threads/kernel-threads.ts';
import { isModelName } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { trainModel } from '../src/core/training/train.ts';
import { setupBackend } from './lib/backend.ts';
import { startBusyCores } from './lib/busy-cores.ts';
import { randomSet } from './lib/random-set.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'tinyvgg' },
    threads: { type: 'string', default: '2' },
    'kernel-threads': { type: 'string' },
    images: { type: 'string', default: '2560' },
    busy: { type: 'string', default: '0' },
  },
});
if (!isModelName(values.model)) throw new Error(`--model: unknown model "${values.model}"`);
const images = Number(values.images);
const threads = Number(values.threads);
const backend = await setupBackend('wasm', { threads, kernelThreads: Number(values['kernel-threads'] ?? threads) });
const set = randomSet(images);
const config = validateConfig({ model: values.model, epochs: 1, batchSize: 64, trainSize: images, validationSplit: 0 });
const model = createModel(values.model, 1);
await trainModel(model, set, { ...config, trainSize: 320 });
const before = kernelThreadStats();
const load = startBusyCores(Number(values.busy));
let speed: number;
const cpu0 = process.cpuUsage();
try {
  speed = (await trainModel(model, set, config, { reportEvery: 1_000_000 })).imagesPerSecond;
} finally {
  await load.stop();
}
const cpu = process.cpuUsage(cpu0);
const after = kernelThreadStats();
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(
  `${values.model}, tfjs threads ${backend.threads}, kernel threads ${backend.kernelThreads}, busy ${values.busy}: ${speed.toFixed(0)} img/s`,
);
console.log(`CPU time of the process: ${((cpu.user + cpu.system) / 1000 / images).toFixed(3)} ms per image`);
console.log(`split calls ${after.jobs - before.jobs}, parts ${after.parts - before.parts}`);
console.log(
  `caller: ${after.callerParts - before.callerParts} parts, ${ms(after.callerMs - before.callerMs)} in them, ${ms(after.callerWaitMs - before.callerWaitMs)} waiting for helpers`,
);
after.helperParts.forEach((parts, i) => {
  console.log(
    `helper ${i + 1}: ${parts - (before.helperParts[i] ?? 0)} parts, ${ms(after.helperMs[i] - (before.helperMs[i] ?? 0))} in them`,
  );
});
process.exit(0);
