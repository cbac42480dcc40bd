/**
 * The page's models for drawings and uploads (app/classify/page-models.ts), held for the panel's
 * lifetime: renders their state and forwards the panel's commands. The props that come from the
 * page state (the trained model, the comparison's pair, the engine's backend) are passed on.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { TrainedModel } from '../../app/protocol.ts';
import { createPageModels } from '../../app/classify/create-page-models.ts';
import type { PageModels } from '../../app/classify/page-models.ts';
import { initialPageModelsState, type PageModelsState } from '../../app/classify/page-models-state.ts';

/** What the panel can ask of the page's models (no-ops until they exist, after the first render). */
export type PageModelsCommands = Pick<
  PageModels,
  'choose' | 'retry' | 'classify' | 'inspect' | 'modelData' | 'loadFiles' | 'download' | 'dismissModelError' | 'setSideBySide'
>;

const INITIAL = initialPageModelsState();
const noSubscription = () => () => {};

function commandsOf(models: PageModels | null): PageModelsCommands {
  return {
    choose: (key) => models?.choose(key),
    retry: () => models?.retry(),
    classify: (image, measure) => models?.classify(image, measure),
    inspect: (key, image, request) =>
      models ? models.inspect(key, image, request) : Promise.reject(new Error('the models are not ready yet')),
    loadFiles: async (files) => models?.loadFiles(files),
    modelData: (key) => models?.modelData(key) ?? null,
    download: () => models?.download(),
    dismissModelError: () => models?.dismissModelError(),
    setSideBySide: (on) => models?.setSideBySide(on),
  };
}

/**
 * @param trained the model the latest Train run handed over
 * @param pair the latest comparison's models (0: the baseline, 1: the challenger)
 * @param inWorker true where the models answer in the classifier worker (the page has module workers)
 * @param engineBackendReady where they do not, true once the engine (then on the page too) has chosen its backend
 * @param dataLoading true while the training images are coming (the ready-trained models wait)
 */
export function usePageModels(
  trained: TrainedModel | null,
  pair: TrainedModel[] | null,
  inWorker: boolean,
  engineBackendReady: boolean,
  dataLoading: boolean,
): { state: PageModelsState; commands: PageModelsCommands } {
  // Made in an effect, so that StrictMode's second mount gets a fresh one (the first is disposed).
  const [models, setModels] = useState<PageModels | null>(null);
  useEffect(() => {
    const created = createPageModels(inWorker);
    // The effect makes and disposes an outside resource; the state only hands it to the render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setModels(created);
    return () => created.dispose();
  }, [inWorker]);

  const state = useSyncExternalStore(models?.subscribe ?? noSubscription, models?.getState ?? (() => INITIAL));
  const commands = useMemo(() => commandsOf(models), [models]);

  // Before the backend: a fresh PageModels must know that the data is coming before it may fetch.
  useEffect(() => models?.setDataLoading(dataLoading), [models, dataLoading]);
  useEffect(() => models?.setBackendReady(inWorker || engineBackendReady), [models, inWorker, engineBackendReady]);
  useEffect(() => models?.setTrained(trained), [models, trained]);
  useEffect(() => models?.setPair(pair), [models, pair]);

  return { state, commands };
}
