/**
 * The dense baseline and a CNN answering the same picture, side by side: the two models of the last
 * comparison when there is one (Compare mode hands them over as plain data), else the two shipped
 * ones. Built with the page's own tfjs like the main classifier; latest picture wins, and every
 * model built here is disposed when it is replaced or the panel goes.
 */
import { useEffect, useRef, useState } from 'react';
import type { CompareMember } from '../../core/compare.ts';
import type { ModelData } from '../../core/model-json.ts';
import { MODEL_CATALOG, type ModelName } from '../../core/models/catalog.ts';
import { fetchModel } from '../../app/classify/browser-model-files.ts';
import { shippedUrl } from './useClassifier.ts';

type ClassifierLib = typeof import('../../app/classify/page-tfjs.ts');
type Model = Awaited<ReturnType<ClassifierLib['buildModel']>>;

/** The compared models as the compare state holds them; null before any comparison. */
export type ModelPair = Record<CompareMember, { model: ModelName; data: ModelData }> | null;

export interface PairAnswer {
  /** Who answers, as the page says it. */
  labels: Record<CompareMember, string>;
  probabilities: Record<CompareMember, Float32Array> | null;
  error: string | null;
}

const MEMBERS: CompareMember[] = ['dense', 'cnn'];

export function describePair(pair: ModelPair): Record<CompareMember, string> {
  if (!pair) return { dense: `${MODEL_CATALOG.dense.title} (ready-trained)`, cnn: `${MODEL_CATALOG.default.title} (ready-trained)` };
  return {
    dense: `${MODEL_CATALOG[pair.dense.model].title} from your comparison`,
    cnn: `${MODEL_CATALOG[pair.cnn.model].title} from your comparison`,
  };
}

/**
 * @param enabled false: nothing is loaded or run (two extra models cost time on every stroke)
 * @param ready true once the page's tfjs may be used (see useClassifier)
 */
export function useModelPair(pair: ModelPair, image: Uint8Array | null, enabled: boolean, own: boolean, ready: boolean): PairAnswer {
  const [probabilities, setProbabilities] = useState<PairAnswer['probabilities']>(null);
  const [error, setError] = useState<string | null>(null);
  const models = useRef<Record<CompareMember, Model> | null>(null);
  const latest = useRef<Uint8Array | null>(image);
  const running = useRef(false);
  /** Replaced models, disposed once no prediction can be using them. */
  const retired = useRef<Model[]>([]);
  latest.current = image;
  const retire = (pairOf: Record<CompareMember, Model>) => {
    retired.current.push(pairOf.dense, pairOf.cnn);
    if (!running.current) for (const m of retired.current.splice(0)) m.dispose();
  };

  const run = useRef(async () => {});
  run.current = async () => {
    if (running.current) return;
    running.current = true;
    try {
      const l = await import('../../app/classify/page-tfjs.ts');
      let done: Uint8Array | null = null;
      // Another picture may arrive while both models answer: answer the newest before stopping.
      while (models.current && latest.current && latest.current !== done) {
        const picture: Uint8Array = latest.current;
        const pairNow = models.current;
        const dense = await l.predict(pairNow.dense, picture);
        const cnn = await l.predict(pairNow.cnn, picture);
        done = picture;
        if (latest.current === picture) setProbabilities({ dense: dense.probabilities, cnn: cnn.probabilities });
      }
      setError(null);
    } catch (e) {
      setError(`The side-by-side models could not answer: ${(e as Error).message}`);
    } finally {
      running.current = false;
      for (const m of retired.current.splice(0)) m.dispose();
    }
  };

  // (Re)build the pair when it changes.
  useEffect(() => {
    if (!enabled || !ready) return;
    let cancelled = false;
    (async () => {
      const l = await import('../../app/classify/page-tfjs.ts');
      await l.prepareBackend(own);
      const data = pair
        ? { dense: pair.dense.data, cnn: pair.cnn.data }
        : { dense: await fetchModel(shippedUrl('dense')), cnn: await fetchModel(shippedUrl('default')) };
      const built = { dense: await l.buildModel(data.dense), cnn: await l.buildModel(data.cnn) };
      if (cancelled) {
        for (const m of MEMBERS) built[m].dispose();
        return;
      }
      const old = models.current;
      models.current = built;
      if (old) retire(old);
      void run.current();
    })().catch((e: unknown) => {
      if (!cancelled) setError(`The side-by-side models could not be loaded: ${(e as Error).message}`);
    });
    return () => {
      cancelled = true;
    };
  }, [pair, enabled, ready, own]);

  // A new picture: both answer it (or the answer is cleared).
  useEffect(() => {
    if (!enabled) return;
    if (!image) setProbabilities(null);
    else void run.current();
  }, [image, enabled]);

  // Free both models when the panel goes (or the side-by-side view is switched off).
  useEffect(() => {
    if (!enabled) return;
    return () => {
      if (models.current) retire(models.current);
      models.current = null;
    };
  }, [enabled]);

  return { labels: describePair(pair), probabilities, error };
}
