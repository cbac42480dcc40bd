/**
 * The engine (src/app/engine.ts) in Node, with the platform injected: a synthetic dataset instead
 * of fetched sprites, the wasm backend instead of the browser's choice, and a WebGL context whose
 * loss the test triggers. One message family carries runs of one member and of two.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type TrainingConfig } from '../src/core/config.ts';
import type { LoadedDataset } from '../src/app/data/load-dataset.ts';
import { Engine } from '../src/app/engine.ts';
import type { EnginePlatform } from '../src/app/engine-platform.ts';
import type { BackendChoice, PageToWorker, WorkerToPage } from '../src/app/protocol.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

const config = (overrides: Partial<TrainingConfig> = {}): TrainingConfig =>
  validateConfig({
    model: 'dense',
    epochs: 2,
    batchSize: 32,
    trainSize: 160,
    validationSplit: 0.2,
    learningRate: 0.01,
    seed: 5,
    ...overrides,
  });

/** An engine over a synthetic dataset; `messages` collects what it posts, `loseContext` fires a WebGL loss. */
function harness() {
  const messages: WorkerToPage[] = [];
  const chosen: (BackendChoice | null)[] = [];
  let onLost: (() => void) | null = null;
  let lost = false;
  const platform: EnginePlatform = {
    loadDataset: async () => ({ manifest: {} as LoadedDataset['manifest'], train: syntheticSet(200), test: syntheticSet(50, 9) }),
    selectBackend: async (choice) => {
      chosen.push(choice);
      return {
        backend: 'wasm',
        renderer: null,
        softwareRenderer: false,
        webglAvailable: false,
        wasmThreads: 1,
        kernelThreads: 1,
        note: null,
      };
    },
    watchContextLoss: (callback) => {
      onLost = callback;
      return () => (onLost = null);
    },
    contextLost: () => lost,
    discardWebgl: () => {},
  };
  const engine = new Engine((message) => messages.push(message), platform);
  const send = (message: PageToWorker) => engine.handle(message);
  /** Resolves once a message matching `test` has arrived (polling: the engine is asynchronous). */
  const waitFor = async (test: (m: WorkerToPage) => boolean): Promise<WorkerToPage> => {
    for (;;) {
      const found = messages.find(test);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const loseContext = () => {
    lost = true;
    onLost?.();
  };
  return { engine, messages, chosen, send, waitFor, loseContext };
}

const ofRun = (messages: WorkerToPage[], runId: number) => messages.filter((m) => 'runId' in m && m.runId === runId);
/** A run's messages as "type member" strings, consecutive repeats folded. */
const sequence = (messages: WorkerToPage[], runId: number) =>
  ofRun(messages, runId)
    .map((m) => ('member' in m ? `${m.type} ${m.member}` : m.type))
    .filter((s, i, all) => s !== all[i - 1]);

describe('Engine', () => {
  beforeAll(async () => {
    await setupBackend('wasm');
  });

  it('trains a run of one member: start, batches, epochs, one evaluation at the end, its model, end', async () => {
    const h = harness();
    h.send({ type: 'load-data', baseUrl: 'synthetic/' });
    await h.waitFor((m) => m.type === 'data-ready');
    h.send({ type: 'run', runId: 1, members: [config()], evaluateEachEpoch: false });
    await h.waitFor((m) => m.type === 'run-end');
    expect(sequence(h.messages, 1)).toEqual([
      'run-start',
      'run-batch 0',
      'run-epoch 0',
      'run-inside 0',
      'run-batch 0',
      'run-epoch 0',
      'run-inside 0',
      'run-evaluation 0',
      'run-models',
      'run-end',
    ]);
    // Inside the model after each epoch: the same test image, a model that moved as it learnt.
    const inside = h.messages.flatMap((m) => (m.type === 'run-inside' ? [m] : []));
    expect(inside.map((m) => m.epoch)).toEqual([1, 2]);
    expect(inside[1].image).toEqual(inside[0].image);
    expect(inside[0].result.logits).not.toEqual(inside[1].result.logits);
    expect(inside[0].result.dense.map((d) => d.stage.label)).toEqual(['dense 1', 'dense 2']);
    const start = h.messages.find((m) => m.type === 'run-start')!;
    expect(start.type === 'run-start' && start.members.map((m) => [m.config.model, m.parameters])).toEqual([['dense', 101_770]]);
    const models = h.messages.find((m) => m.type === 'run-models');
    expect(
      models?.type === 'run-models' && models.models.map((m) => [m.member, m.epochs, m.stopped, m.trainImages, m.evaluation?.epoch]),
    ).toEqual([[0, 2, false, 128, 2]]);
    expect(models?.type === 'run-models' && models.models[0].data.weightData.byteLength).toBe(101_770 * 4);
    const end = h.messages.find((m) => m.type === 'run-end');
    expect(end?.type === 'run-end' && end.stopped).toBe(false);
    expect(end?.type === 'run-end' && end.members.map((m) => m.epochs)).toEqual([2]);
    h.engine.dispose();
  });

  it('trains a run of two members by turns, each evaluated after each of its epochs, and frees what it made', async () => {
    const h = harness();
    h.send({ type: 'load-data', baseUrl: 'synthetic/' });
    await h.waitFor((m) => m.type === 'data-ready');
    const members = [config(), config({ model: 'tinyvgg' })];
    h.send({ type: 'run', runId: 1, members, evaluateEachEpoch: true });
    await h.waitFor((m) => m.type === 'run-end' && m.runId === 1);
    const tensorsAfterFirst = tf.memory().numTensors;
    expect(sequence(h.messages, 1)).toEqual([
      'run-start',
      'run-batch 0',
      'run-epoch 0',
      'run-inside 0',
      'run-evaluation 0',
      'run-batch 1',
      'run-epoch 1',
      'run-inside 1',
      'run-evaluation 1',
      'run-batch 0',
      'run-epoch 0',
      'run-inside 0',
      'run-evaluation 0',
      'run-batch 1',
      'run-epoch 1',
      'run-inside 1',
      'run-evaluation 1',
      'run-models',
      'run-end',
    ]);
    const models = h.messages.find((m) => m.type === 'run-models');
    expect(models?.type === 'run-models' && models.models.map((m) => m.config.model)).toEqual(['dense', 'tinyvgg']);
    // Time on each member's own axis only grows.
    for (const member of [0, 1]) {
      const seconds = ofRun(h.messages, 1).flatMap((m) => (m.type === 'run-batch' && m.member === member ? [m.seconds] : []));
      expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    }
    // A second run replaces the first one's models: the tensor count does not grow.
    h.send({ type: 'run', runId: 2, members, evaluateEachEpoch: true });
    await h.waitFor((m) => m.type === 'run-end' && m.runId === 2);
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    h.engine.dispose();
  });

  it('refuses a second run while one trains, and bad members; Stop ends the run and Evaluate tests its models', async () => {
    const h = harness();
    h.send({ type: 'run', runId: 1, members: [config()], evaluateEachEpoch: true });
    expect(await h.waitFor((m) => m.type === 'error' && m.runId === 1)).toMatchObject({
      message: 'The training images are not loaded yet.',
    });

    h.send({ type: 'load-data', baseUrl: 'synthetic/' });
    await h.waitFor((m) => m.type === 'data-ready');
    h.send({ type: 'run', runId: 2, members: [], evaluateEachEpoch: true });
    await h.waitFor((m) => m.type === 'error' && m.runId === 2);
    h.send({
      type: 'run',
      runId: 3,
      members: [config(), { ...config(), model: 'mlp' as TrainingConfig['model'] }],
      evaluateEachEpoch: true,
    });
    await h.waitFor((m) => m.type === 'error' && m.runId === 3);
    expect(ofRun(h.messages, 3).map((m) => m.type === 'error' && m.message)).toEqual([expect.stringMatching(/^members\[1\]: model/)]);

    const long = [config({ epochs: 50 }), config({ model: 'tinyvgg', epochs: 50 })];
    h.send({ type: 'run', runId: 4, members: long, evaluateEachEpoch: false });
    await h.waitFor((m) => m.type === 'run-batch' && m.runId === 4);
    h.send({ type: 'run', runId: 5, members: [config()], evaluateEachEpoch: true });
    await h.waitFor((m) => m.type === 'error' && m.runId === 5);
    expect(ofRun(h.messages, 5)).toEqual([{ type: 'error', runId: 5, message: 'Training is already running (run 4): stop it first.' }]);
    h.send({ type: 'stop', runId: 4 });
    const end = await h.waitFor((m) => m.type === 'run-end' && m.runId === 4);
    expect(end.type === 'run-end' && end.stopped).toBe(true);
    expect(ofRun(h.messages, 4).some((m) => m.type === 'run-evaluation')).toBe(false);

    h.send({ type: 'evaluate', runId: 4 });
    await h.waitFor((m) => m.type === 'run-evaluation' && m.runId === 4 && m.member === 1);
    expect(
      ofRun(h.messages, 4)
        .filter((m) => m.type === 'run-evaluation')
        .map((m) => m.type === 'run-evaluation' && m.member),
    ).toEqual([0, 1]);
    h.send({ type: 'evaluate', runId: 3 });
    expect(await h.waitFor((m) => m.type === 'error' && m.runId === null)).toMatchObject({
      message: 'A later run replaced the models of that run: train again to evaluate it.',
    });
    h.engine.dispose();
  });

  it('a lost WebGL context ends the run with a message and moves to WebAssembly', async () => {
    const h = harness();
    h.send({ type: 'load-data', baseUrl: 'synthetic/' });
    await h.waitFor((m) => m.type === 'data-ready');
    h.send({ type: 'run', runId: 1, members: [config({ epochs: 50 }), config({ epochs: 50 })], evaluateEachEpoch: true });
    await h.waitFor((m) => m.type === 'run-batch');
    h.loseContext();
    const end = await h.waitFor((m) => m.type === 'run-end');
    expect(end.type === 'run-end' && end.stopped).toBe(true);
    const error = h.messages.find((m) => m.type === 'error');
    expect(error?.type === 'error' && error.runId === 1 && error.message).toMatch(/^The WebGL context was lost/);
    await h.waitFor((m) => m.type === 'backend' && m.report.note !== null);
    expect(h.chosen).toEqual([null, 'wasm']);
    h.engine.dispose();
  });
});
